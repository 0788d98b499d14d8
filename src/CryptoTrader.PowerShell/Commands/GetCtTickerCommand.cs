using System.Management.Automation;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>The current price of one or more products (a read); a symbol without a price is reported and the next goes on.</summary>
    [Cmdlet(VerbsCommon.Get, "CtTicker")]
    [OutputType(typeof(Ticker))]
    public sealed class GetCtTickerCommand : CredentialCmdlet
    {
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SymbolCompleter))]
        public string[] Symbol { get; set; } = System.Array.Empty<string>();

        internal override void Process(CtSession session)
        {
            var exchange = CanonicalExchange;
            var name = CanonicalName;
            var trading = OpenTrading(session);
            ForEachItem(Symbol, symbol => WriteObject(trading.GetTicker(exchange, name, OrderValidation.NormalizeSymbol(symbol))));
        }
    }
}
