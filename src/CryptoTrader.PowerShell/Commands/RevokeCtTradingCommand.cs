using System.Management.Automation;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Makes a credential read-only again and cancels its open orders (each cancel audited).</summary>
    [Cmdlet(VerbsSecurity.Revoke, "CtTrading", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AuditRecord))]
    public sealed class RevokeCtTradingCommand : CredentialCmdlet
    {
        internal override void Process(CtSession session)
        {
            var exchange = CanonicalExchange;
            var name = CanonicalName;
            if (!ShouldProcess($"{exchange}/{name}", "Revoke trading (read-only)"))
            {
                return;
            }
            var ring = RequireKeyRing(session);
            var outcome = new TradingService(session.Database, OpenAuditLog(session, ring), ring).RevokeTrading(exchange, name);
            if (outcome.Revocation is null)
            {
                WriteWarning($"{exchange}/{name} has no trading grant: it is already read-only.");
            }
            else
            {
                WriteObject(outcome.Revocation);
            }
            WriteAuditRecords(outcome.Records);
            foreach (var failure in outcome.Failures)
            {
                WriteItemError(failure);
            }
        }
    }
}
