using System;
using System.Collections.Generic;
using System.Globalization;
using CryptoTrader.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.MarketData
{
    /// <summary>
    /// Candles in the module's database (migration 9): one row per (series, start), a series being an exchange, a
    /// symbol and a granularity; prices as invariant decimal text, read back exactly. Beside the candles, the ranges
    /// already fetched or imported (candle_coverage), so that a gap where nothing traded is never asked for again.
    /// Local only: reading needs no credential and no key ring.
    /// </summary>
    public sealed class CandleStore
    {
        private const string Columns = "start, open, high, low, close, volume";
        private readonly CtDatabase database;

        public CandleStore(CtDatabase database)
        {
            this.database = database;
        }

        /// <summary>The stored candles of a series, oldest first: those starting in [start, end), or the last <paramref name="last"/> of them.</summary>
        public IEnumerable<Candle> Read(string exchange, string symbol, CandleGranularity granularity, DateTime? start = null, DateTime? end = null, int? last = null)
        {
            var series = FindSeries(exchange, symbol, granularity, null);
            if (series is null)
            {
                return Array.Empty<Candle>();
            }
            var from = start.HasValue ? CandleTime.ToUnixSeconds(start.Value) : long.MinValue;
            var to = end.HasValue ? CandleTime.ToUnixSeconds(end.Value) : long.MaxValue;
            if (last is int count)
            {
                var newest = new List<Candle>(ReadRows(exchange, symbol, granularity, series.Value, from, to, "DESC LIMIT " + count.ToString(CultureInfo.InvariantCulture)));
                newest.Reverse();
                return newest;
            }
            return ReadRows(exchange, symbol, granularity, series.Value, from, to, "ASC");
        }

        /// <summary>
        /// The most recent stored close of <paramref name="symbol"/>: of the candle that ended last, over the series of
        /// that symbol (narrowed to an exchange or a granularity when given); the finer granularity wins a tie. Null when none is stored.
        /// </summary>
        public Candle? LatestClose(string symbol, string? exchange = null, CandleGranularity? granularity = null)
        {
            using var command = database.Connection.CreateCommand();
            command.CommandText =
                "SELECT s.exchange, s.granularity, c.start, c.open, c.high, c.low, c.close, c.volume FROM candle_series s " +
                "JOIN candles c ON c.series = s.id AND c.start = (SELECT max(start) FROM candles WHERE series = s.id) " +
                "WHERE s.symbol = $symbol AND ($exchange IS NULL OR s.exchange = $exchange) AND ($granularity IS NULL OR s.granularity = $granularity) " +
                "ORDER BY c.start + s.granularity DESC, s.granularity ASC LIMIT 1;";
            command.Parameters.AddWithValue("$symbol", symbol);
            command.Parameters.AddWithValue("$exchange", (object?)exchange ?? DBNull.Value);
            command.Parameters.AddWithValue("$granularity", granularity.HasValue ? granularity.Value.Seconds() : (object)DBNull.Value);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ToCandle(reader, 2, reader.GetString(0), symbol, Granularities.FromSeconds(reader.GetInt64(1))) : null;
        }

        /// <summary>The series' counts after a run that added <paramref name="added"/> candles.</summary>
        public MarketDataSummary Summarize(string exchange, string symbol, CandleGranularity granularity, int added)
        {
            var summary = new MarketDataSummary { Exchange = exchange, Symbol = symbol, Granularity = granularity, Added = added };
            var series = FindSeries(exchange, symbol, granularity, null);
            if (series is null)
            {
                return summary;
            }
            using var command = database.Connection.CreateCommand();
            command.CommandText = "SELECT count(*), min(start), max(start) FROM candles WHERE series = $series;";
            command.Parameters.AddWithValue("$series", series.Value);
            using var reader = command.ExecuteReader();
            reader.Read();
            summary.Total = reader.GetInt32(0);
            summary.First = reader.IsDBNull(1) ? null : CandleTime.FromUnixSeconds(reader.GetInt64(1));
            summary.Last = reader.IsDBNull(2) ? null : CandleTime.FromUnixSeconds(reader.GetInt64(2));
            return summary;
        }

        internal int Count(long series, SqliteTransaction? transaction)
        {
            using var command = database.Connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT count(*) FROM candles WHERE series = $series;";
            command.Parameters.AddWithValue("$series", series);
            return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        internal long? FindSeries(string exchange, string symbol, CandleGranularity granularity, SqliteTransaction? transaction)
        {
            using var command = database.Connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT id FROM candle_series WHERE exchange = $exchange AND symbol = $symbol AND granularity = $granularity;";
            command.Parameters.AddWithValue("$exchange", exchange);
            command.Parameters.AddWithValue("$symbol", symbol);
            command.Parameters.AddWithValue("$granularity", granularity.Seconds());
            return command.ExecuteScalar() is long id ? id : null;
        }

        internal long EnsureSeries(SqliteTransaction transaction, string exchange, string symbol, CandleGranularity granularity)
        {
            if (FindSeries(exchange, symbol, granularity, transaction) is long id)
            {
                return id;
            }
            using var command = database.Connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO candle_series (exchange, symbol, granularity) VALUES ($exchange, $symbol, $granularity) RETURNING id;";
            command.Parameters.AddWithValue("$exchange", exchange);
            command.Parameters.AddWithValue("$symbol", symbol);
            command.Parameters.AddWithValue("$granularity", granularity.Seconds());
            return (long)command.ExecuteScalar()!;
        }

        /// <summary>Stores the candles, replacing any stored with the same start.</summary>
        internal void Write(SqliteTransaction transaction, long series, IEnumerable<Candle> candles)
        {
            var insert = database.Prepared(
                "INSERT INTO candles (series, " + Columns + ") VALUES ($series, $start, $open, $high, $low, $close, $volume) " +
                "ON CONFLICT (series, start) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume;",
                "$series", "$start", "$open", "$high", "$low", "$close", "$volume");
            insert.Transaction = transaction;
            var parameters = insert.Parameters;
            parameters[0].Value = series;
            foreach (var candle in candles)
            {
                parameters[1].Value = CandleTime.ToUnixSeconds(candle.Start);
                parameters[2].Value = Text(candle.Open);
                parameters[3].Value = Text(candle.High);
                parameters[4].Value = Text(candle.Low);
                parameters[5].Value = Text(candle.Close);
                parameters[6].Value = Text(candle.Volume);
                insert.ExecuteNonQuery();
            }
        }

        /// <summary>The ranges already fetched or imported for the series, sorted and disjoint.</summary>
        internal List<CandleRange> Coverage(long series)
        {
            using var command = database.Connection.CreateCommand();
            command.CommandText = "SELECT range_start, range_end FROM candle_coverage WHERE series = $series ORDER BY range_start;";
            command.Parameters.AddWithValue("$series", series);
            using var reader = command.ExecuteReader();
            var ranges = new List<CandleRange>();
            while (reader.Read())
            {
                ranges.Add(new CandleRange(reader.GetInt64(0), reader.GetInt64(1)));
            }
            return ranges;
        }

        /// <summary>Records <paramref name="range"/> as covered, merged with the ranges it overlaps or touches (so they stay few and disjoint).</summary>
        internal void Cover(SqliteTransaction transaction, long series, CandleRange range)
        {
            var start = range.Start;
            var end = range.End;
            using (var touching = database.Connection.CreateCommand())
            {
                touching.Transaction = transaction;
                touching.CommandText = "DELETE FROM candle_coverage WHERE series = $series AND range_start <= $end AND range_end >= $start RETURNING range_start, range_end;";
                touching.Parameters.AddWithValue("$series", series);
                touching.Parameters.AddWithValue("$start", start);
                touching.Parameters.AddWithValue("$end", end);
                using var reader = touching.ExecuteReader();
                while (reader.Read())
                {
                    start = Math.Min(start, reader.GetInt64(0));
                    end = Math.Max(end, reader.GetInt64(1));
                }
            }
            using var insert = database.Connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO candle_coverage (series, range_start, range_end) VALUES ($series, $start, $end);";
            insert.Parameters.AddWithValue("$series", series);
            insert.Parameters.AddWithValue("$start", start);
            insert.Parameters.AddWithValue("$end", end);
            insert.ExecuteNonQuery();
        }

        private IEnumerable<Candle> ReadRows(string exchange, string symbol, CandleGranularity granularity, long series, long from, long to, string order)
        {
            using var command = database.Connection.CreateCommand();
            command.CommandText = "SELECT " + Columns + " FROM candles WHERE series = $series AND start >= $from AND start < $to ORDER BY start " + order + ";";
            command.Parameters.AddWithValue("$series", series);
            command.Parameters.AddWithValue("$from", from);
            command.Parameters.AddWithValue("$to", to);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                yield return ToCandle(reader, 0, exchange, symbol, granularity);
            }
        }

        private static Candle ToCandle(SqliteDataReader reader, int first, string exchange, string symbol, CandleGranularity granularity) => new Candle(
            exchange, symbol, granularity, CandleTime.FromUnixSeconds(reader.GetInt64(first)),
            Number(reader.GetString(first + 1)), Number(reader.GetString(first + 2)), Number(reader.GetString(first + 3)),
            Number(reader.GetString(first + 4)), Number(reader.GetString(first + 5)));

        // Invariant text keeps a decimal exactly, scale included, and stays readable to other SQLite tools.
        private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

        private static decimal Number(string text) => decimal.Parse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }
}
