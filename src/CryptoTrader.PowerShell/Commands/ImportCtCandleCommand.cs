using System.Management.Automation;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.MarketData;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Loads candles from a CSV file into the local store, all or nothing per file (no credential, no key ring).</summary>
    [Cmdlet(VerbsData.Import, "CtCandle", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(MarketDataSummary))]
    public sealed class ImportCtCandleCommand : CandleSeriesCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        public string Path { get; set; } = string.Empty;

        internal override void Process(CtSession session)
        {
            var exchange = CanonicalExchange;
            var symbol = CanonicalSymbol;
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(path, $"Import {Granularity} candles of {symbol} for {exchange}"))
            {
                return;
            }
            try
            {
                WriteObject(CandleImport.Import(session.Database, path, exchange, symbol, Granularity));
            }
            catch (CtException e) when (e.ErrorId == ErrorIds.InvalidCandleFile || e.ErrorId == ErrorIds.CandleFileUnreadable)
            {
                // One bad file does not stop the others coming down the pipeline.
                WriteItemError(e);
            }
        }
    }
}
