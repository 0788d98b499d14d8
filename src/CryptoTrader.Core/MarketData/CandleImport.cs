using System;
using System.IO;
using System.Text;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.MarketData
{
    /// <summary>
    /// Import-CtCandle: a CSV file of candles into the local store, all or nothing. Its span (first candle to the end
    /// of the last) counts as covered, so a later sync does not fetch it again; stored candles with the same start are replaced.
    /// </summary>
    public static class CandleImport
    {
        public static MarketDataSummary Import(CtDatabase database, string path, string exchange, string symbol, CandleGranularity granularity)
        {
            var candles = ReadFile(path, exchange, symbol, granularity);
            var store = new CandleStore(database);
            int added;
            using (var transaction = new CtTransaction(database.Connection))
            {
                var series = store.EnsureSeries(transaction, exchange, symbol, granularity);
                var before = store.Count(series, transaction);
                store.Write(transaction, series, candles);
                var first = CandleTime.ToUnixSeconds(candles[0].Start);
                var last = CandleTime.ToUnixSeconds(candles[candles.Count - 1].Start);
                store.Cover(transaction, series, new CandleRange(first, last + granularity.Seconds()));
                added = store.Count(series, transaction) - before;
                transaction.Commit();
            }
            return store.Summarize(exchange, symbol, granularity, added);
        }

        private static System.Collections.Generic.List<Candle> ReadFile(string path, string exchange, string symbol, CandleGranularity granularity)
        {
            try
            {
                using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
                return CandleCsv.Parse(reader, path, exchange, symbol, granularity);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw Unreadable(path, e.Message, e, e is FileNotFoundException || e is DirectoryNotFoundException ? CtErrorKind.NotFound : CtErrorKind.ResourceUnavailable);
            }
        }

        /// <summary>A CandleFileUnreadable error: the path names no file that can be read (missing, a folder, another provider, not allowed).</summary>
        public static CtException Unreadable(string path, string why, Exception? inner, CtErrorKind kind = CtErrorKind.ResourceUnavailable) =>
            new CtException(ErrorIds.CandleFileUnreadable, kind, $"The candle file '{path}' cannot be read: {why}", path, inner);
    }
}
