using System.Management.Automation;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Base of the cmdlets that address one stored series of candles by -Exchange, -Symbol and -Granularity (all bind from the pipeline by property name).</summary>
    public abstract class CandleSeriesCmdlet : CtCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ExchangeCompleter))]
        public string Exchange { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string Symbol { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        public CandleGranularity Granularity { get; set; }

        internal string CanonicalExchange => ExchangeCatalog.Normalize(Exchange);

        internal string CanonicalSymbol => OrderValidation.NormalizeSymbol(Symbol);
    }
}
