using System.Management.Automation;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Orders of a credential, or one order by id (a read).</summary>
    [Cmdlet(VerbsCommon.Get, "CtOrder")]
    [OutputType(typeof(Order))]
    public sealed class GetCtOrderCommand : CredentialCmdlet
    {
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        public string? OrderId { get; set; }

        internal override void Process(CtSession session)
        {
            WriteObject(OpenTrading(session).GetOrders(CanonicalExchange, CanonicalName, OrderId), enumerateCollection: true);
        }
    }
}
