using System;
using System.Management.Automation;
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
            var path = ResolveFilePath();
            if (!ShouldProcess(path, $"Import {Granularity} candles of {symbol} for {exchange}"))
            {
                return;
            }
            WriteObject(CandleImport.Import(session.Database, path, exchange, symbol, Granularity));
        }

        // -Path as a literal file system path; anything else (no such drive, another provider, NUL) cannot be read.
        private string ResolveFilePath()
        {
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = System.IO.Path.GetFullPath(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out provider, out _));
            }
            catch (Exception e) when (e is SessionStateException || e is ProviderInvocationException || e is ArgumentException || e is NotSupportedException || e is System.IO.IOException)
            {
                throw CandleImport.Unreadable(Path, e.Message, e);
            }
            return provider.Name == "FileSystem" ? resolved : throw CandleImport.Unreadable(Path, $"it is a {provider.Name} path, not a file system path.", null);
        }
    }
}
