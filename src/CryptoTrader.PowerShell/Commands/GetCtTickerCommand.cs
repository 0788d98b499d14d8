using System.Management.Automation;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>The current price of a product (a read).</summary>
    [Cmdlet(VerbsCommon.Get, "CtTicker")]
    [OutputType(typeof(Ticker))]
    public sealed class GetCtTickerCommand : CredentialCmdlet
    {
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string Symbol { get; set; } = string.Empty;

        internal override void Process(CtSession session)
        {
            var symbol = OrderValidation.NormalizeSymbol(Symbol);
            WriteObject(OpenTrading(session).GetTicker(CanonicalExchange, CanonicalName, symbol));
        }
    }
}
