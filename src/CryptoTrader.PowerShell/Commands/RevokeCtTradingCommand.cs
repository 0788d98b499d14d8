using System.Management.Automation;
using CryptoTrader.Core.Permissions;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Makes a credential read-only again.</summary>
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
            var record = new PermissionService(session.Database).Revoke(OpenAuditLog(session, ring), ring, exchange, name);
            if (record is null)
            {
                WriteWarning($"{exchange}/{name} has no trading grant: it is already read-only.");
                return;
            }
            WriteObject(record);
        }
    }
}
