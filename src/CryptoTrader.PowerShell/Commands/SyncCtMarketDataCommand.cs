using System;
using System.Diagnostics;
using System.Management.Automation;
using CryptoTrader.Core.MarketData;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>
    /// Downloads candles into the local database, only the ranges not stored yet, through the permission gate
    /// (a read: a stored credential, no grant). One summary per symbol.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "CtMarketData", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(MarketDataSummary))]
    public sealed class SyncCtMarketDataCommand : CredentialCmdlet
    {
        private const int ProgressActivityId = 20;

        // Only a sync that takes a while shows progress, updated at most this often.
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string[] Symbol { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        public CandleGranularity Granularity { get; set; }

        /// <summary>UTC; a time without a zone is taken as UTC.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public DateTime Start { get; set; }

        /// <summary>Default: now (the candle still forming is never stored).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTime? End { get; set; }

        internal override void Process(CtSession session)
        {
            var exchange = CanonicalExchange;
            var name = CanonicalName;
            var now = DateTime.UtcNow;
            var end = End ?? now;
            CandleTime.RequireOrder(Start, end);
            TradingService? trading = null;
            // Each symbol is one item: a failure of one (an unknown product, an outage) is its error, and the next goes on.
            ForEachItem(Symbol, requested =>
            {
                var symbol = OrderValidation.NormalizeSymbol(requested);
                if (!ShouldProcess($"{exchange} {symbol} {Granularity}", $"Download the candles from {CandleTime.ToUtc(Start):u} to {CandleTime.ToUtc(end):u} not stored yet"))
                {
                    return;
                }
                trading ??= OpenTrading(session);
                WriteObject(SyncOne(new MarketDataSync(session.Database, trading), exchange, name, symbol, end, now));
            });
        }

        private MarketDataSummary SyncOne(MarketDataSync sync, string exchange, string name, string symbol, DateTime end, DateTime now)
        {
            var activity = $"Sync-CtMarketData {exchange} {symbol} {Granularity}";
            var record = new ProgressRecord(ProgressActivityId, activity, "Downloading");
            var clock = Stopwatch.StartNew();
            var shown = false;
            var summary = sync.Sync(exchange, name, symbol, Granularity, Start, end, now, progress =>
            {
                if (clock.Elapsed < ProgressInterval)
                {
                    return;
                }
                clock.Restart();
                shown = true;
                record.StatusDescription = $"{progress.PagesDone} of {progress.PagesTotal} requests, {progress.CandlesReceived} candles";
                record.PercentComplete = (int)(100L * progress.PagesDone / progress.PagesTotal);
                WriteProgress(record);
            });
            if (shown)
            {
                record.RecordType = ProgressRecordType.Completed;
                WriteProgress(record);
            }
            return summary;
        }
    }
}
