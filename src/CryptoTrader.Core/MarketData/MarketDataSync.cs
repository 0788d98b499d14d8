using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Trading;

namespace CryptoTrader.Core.MarketData
{
    /// <summary>
    /// Sync-CtMarketData for one symbol: plans the pages of the wanted range that are not covered yet, fetches them
    /// through the trading service (the permission gate, then the exchange adapter with its retry and rate-limit
    /// rules) and stores each page with its coverage in one transaction, so an interrupted sync resumes where it stopped.
    /// </summary>
    public sealed class MarketDataSync
    {
        private readonly CtDatabase database;
        private readonly TradingService trading;

        public MarketDataSync(CtDatabase database, TradingService trading)
        {
            this.database = database;
            this.trading = trading;
        }

        /// <summary>
        /// Stores the candles of [<paramref name="start"/>, <paramref name="end"/>) that are missing (up to the last candle
        /// complete at <paramref name="now"/>: one still forming would change). Returns the series' summary.
        /// </summary>
        /// <param name="progress">Called after each page is stored.</param>
        public MarketDataSummary Sync(string exchange, string name, string symbol, CandleGranularity granularity, DateTime start, DateTime? end, DateTime now,
            Action<SyncProgress>? progress = null)
        {
            if (exchange == ExchangeCatalog.Paper)
            {
                throw NoHistory(exchange);
            }
            var step = granularity.Seconds();
            var wanted = CandleTime.Range(start, end ?? now, granularity);
            wanted = new CandleRange(wanted.Start, Math.Min(wanted.End, CandleTime.AlignDown(CandleTime.ToUnixSeconds(now), step)));
            var store = new CandleStore(database);
            var series = store.FindSeries(exchange, symbol, granularity, null);
            var covered = series.HasValue ? store.Coverage(series.Value) : new List<CandleRange>();
            var pages = wanted.IsEmpty
                ? new List<CandleRange>()
                : CandleRangePlanner.Missing(wanted, covered).SelectMany(range => CandleRangePlanner.Pages(range, step)).ToList();
            var before = series.HasValue ? store.Count(series.Value, null) : 0;
            var done = 0;
            var received = 0;
            foreach (var candles in trading.GetCandles(exchange, name, symbol, granularity, pages))
            {
                using (var transaction = new CtTransaction(database.Connection))
                {
                    series = store.EnsureSeries(transaction, exchange, symbol, granularity);
                    store.Write(transaction, series.Value, candles);
                    store.Cover(transaction, series.Value, pages[done]);
                    transaction.Commit();
                }
                done++;
                received += candles.Count;
                progress?.Invoke(new SyncProgress(symbol, done, pages.Count, received));
            }
            var added = series.HasValue ? store.Count(series.Value, null) - before : 0;
            return store.Summarize(exchange, symbol, granularity, added);
        }

        internal static CtException NoHistory(string exchange) =>
            new CtException(ErrorIds.ExchangeHasNoHistory, CtErrorKind.InvalidOperation,
                $"The {exchange} exchange has no market history to download: its prices are the ones set with Set-CtPaperPrice. " +
                "Sync candles from coinbase, or load a CSV file with Import-CtCandle (into -Exchange paper if you like), then backtest or use Set-CtPaperPrice -FromCandle.",
                exchange);
    }
}
