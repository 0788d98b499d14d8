using System.Management.Automation;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Cancels an open order. Needs the stored credential, not a trading grant: cancelling only lowers risk.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "CtOrder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AuditRecord))]
    public sealed class StopCtOrderCommand : CredentialCmdlet
    {
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(OrderIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string OrderId { get; set; } = string.Empty;

        internal override void Process(CtSession session)
        {
            var exchange = CanonicalExchange;
            var name = CanonicalName;
            if (!ShouldProcess($"{exchange}/{name}", $"Cancel order {OrderId}"))
            {
                return;
            }
            WriteAuditRecords(OpenTrading(session).CancelOrder(exchange, name, OrderId));
        }
    }
}
