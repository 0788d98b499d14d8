using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.MarketData;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Audit;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CryptoTrader.Core.Tests.MarketData
{
    /// <summary>The candle store in a real database: exact round trips, ranges, coverage, the latest close, and all-or-nothing imports.</summary>
    public sealed class CandleStoreTests : IDisposable
    {
        private static readonly DateTime T0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private readonly AuditTestFolder folder = new AuditTestFolder();

        public void Dispose() => folder.Dispose();

        private CandleStore Store => new CandleStore(folder.Database);

        private static Candle Hourly(int hour, decimal close, string exchange = "coinbase", string symbol = "BTC-USD") =>
            new Candle(exchange, symbol, CandleGranularity.OneHour, T0.AddHours(hour), close, close + 1m, close - 1m, close, 0.5m);

        private long Write(string exchange, string symbol, CandleGranularity granularity, params Candle[] candles)
        {
            using var transaction = new CtTransaction(folder.Database.Connection);
            var series = Store.EnsureSeries(transaction, exchange, symbol, granularity);
            Store.Write(transaction, series, candles);
            transaction.Commit();
            return series;
        }

        private string WriteFile(string text)
        {
            var path = Path.Combine(folder.Path, "candles-" + Guid.NewGuid().ToString("N") + ".csv");
            File.WriteAllText(path, text);
            return path;
        }

        [Fact]
        public void CandlesComeBackExactlyAndOldestFirst()
        {
            Write("coinbase", "BTC-USD", CandleGranularity.OneHour,
                new Candle("coinbase", "BTC-USD", CandleGranularity.OneHour, T0.AddHours(1), 66312.40m, 66331.99m, 66055.14m, 66181.6m, 355.82896243m),
                Hourly(0, 100m));

            var candles = Store.Read("coinbase", "BTC-USD", CandleGranularity.OneHour).ToList();

            Assert.Equal(new[] { T0, T0.AddHours(1) }, candles.Select(c => c.Start));
            var second = candles[1];
            Assert.Equal("66312.40", second.Open.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal((66331.99m, 66055.14m, 66181.6m, 355.82896243m), (second.High, second.Low, second.Close, second.Volume));
            Assert.Equal(DateTimeKind.Utc, second.Start.Kind);
            Assert.Equal(("coinbase", "BTC-USD", CandleGranularity.OneHour), (second.Exchange, second.Symbol, second.Granularity));
        }

        [Fact]
        public void ARangeSelectsCandlesStartingInIt_AndLastKeepsTheNewest()
        {
            Write("coinbase", "BTC-USD", CandleGranularity.OneHour, Enumerable.Range(0, 10).Select(h => Hourly(h, 100m + h)).ToArray());
            Write("coinbase", "BTC-USD", CandleGranularity.OneDay, new Candle("coinbase", "BTC-USD", CandleGranularity.OneDay, T0, 1m, 1m, 1m, 1m, 1m));
            Write("paper", "BTC-USD", CandleGranularity.OneHour, Hourly(3, 5m, "paper"));

            var range = Store.Read("coinbase", "BTC-USD", CandleGranularity.OneHour, T0.AddHours(2), T0.AddHours(5)).Select(c => c.Close);
            var last = Store.Read("coinbase", "BTC-USD", CandleGranularity.OneHour, last: 3).Select(c => c.Close);
            var lastOfRange = Store.Read("coinbase", "BTC-USD", CandleGranularity.OneHour, null, T0.AddHours(5), 2).Select(c => c.Close);

            Assert.Equal(new[] { 102m, 103m, 104m }, range);
            Assert.Equal(new[] { 107m, 108m, 109m }, last);
            Assert.Equal(new[] { 103m, 104m }, lastOfRange);
            Assert.Empty(Store.Read("coinbase", "ETH-USD", CandleGranularity.OneHour));
        }

        [Fact]
        public void CoverageMergesRangesThatOverlapOrTouch()
        {
            var series = Write("coinbase", "BTC-USD", CandleGranularity.OneHour);
            void Cover(long start, long end)
            {
                using var transaction = new CtTransaction(folder.Database.Connection);
                Store.Cover(transaction, series, new CandleRange(start, end));
                transaction.Commit();
            }

            Cover(0, 10);
            Cover(20, 30);
            Cover(40, 50);
            Cover(10, 15);
            Cover(25, 42);

            Assert.Equal(new[] { (0L, 15L), (20L, 50L) }, Store.Coverage(series).Select(r => (r.Start, r.End)));
        }

        [Fact]
        public void TheLatestCloseIsOfTheCandleThatEndedLast_FinerWinningATie()
        {
            Write("coinbase", "BTC-USD", CandleGranularity.OneHour, Hourly(22, 1m), Hourly(23, 2m));
            Write("coinbase", "BTC-USD", CandleGranularity.OneDay, new Candle("coinbase", "BTC-USD", CandleGranularity.OneDay, T0, 3m, 3m, 3m, 3m, 1m));
            Write("paper", "BTC-USD", CandleGranularity.OneHour, Hourly(20, 4m, "paper"));
            Write("coinbase", "ETH-USD", CandleGranularity.OneMinute, new Candle("coinbase", "ETH-USD", CandleGranularity.OneMinute, T0.AddDays(5), 9m, 9m, 9m, 9m, 1m));

            Assert.Equal(2m, Store.LatestClose("BTC-USD")!.Close);
            Assert.Equal(CandleGranularity.OneHour, Store.LatestClose("BTC-USD")!.Granularity);
            Assert.Equal(3m, Store.LatestClose("BTC-USD", granularity: CandleGranularity.OneDay)!.Close);
            Assert.Equal(4m, Store.LatestClose("BTC-USD", exchange: "paper")!.Close);
            Assert.Null(Store.LatestClose("SOL-USD"));
        }

        [Fact]
        public void AGoodFileIsImportedInOneGo_CoveringItsSpan_AndAgainAddsNothing()
        {
            var path = WriteFile("time,open,high,low,close,volume\n1704067200,1,2,1,1.5,3\n1704070800,1.5,2,1,1.25,4\n1704078000,2,2,2,2,0\n");

            var first = CandleImport.Import(folder.Database, path, "paper", "BTC-USD", CandleGranularity.OneHour);
            var again = CandleImport.Import(folder.Database, path, "paper", "BTC-USD", CandleGranularity.OneHour);

            Assert.Equal((3, 3, T0, T0.AddHours(3)), (first.Added, first.Total, first.First!.Value, first.Last!.Value));
            Assert.Equal((0, 3), (again.Added, again.Total));
            var series = Store.FindSeries("paper", "BTC-USD", CandleGranularity.OneHour, null)!.Value;
            Assert.Equal(new[] { (1704067200L, 1704067200L + 4 * 3600) }, Store.Coverage(series).Select(r => (r.Start, r.End)));
        }

        [Fact]
        public void AFileWithABadRowStoresNothing_TheStoreStaysAsItWas()
        {
            Write("paper", "BTC-USD", CandleGranularity.OneHour, Hourly(0, 7m, "paper"));
            var path = WriteFile("time,open,high,low,close,volume\n1704067200,1,2,1,1.5,3\n1704070800,1.5,2,1,oops,4\n");

            var error = Assert.Throws<CtException>(() => CandleImport.Import(folder.Database, path, "paper", "BTC-USD", CandleGranularity.OneHour));

            Assert.Equal(ErrorIds.InvalidCandleFile, error.ErrorId);
            Assert.Contains("line 3", error.Message);
            Assert.Equal(new[] { 7m }, Store.Read("paper", "BTC-USD", CandleGranularity.OneHour).Select(c => c.Close));
            Assert.Empty(Store.Coverage(Store.FindSeries("paper", "BTC-USD", CandleGranularity.OneHour, null)!.Value));
        }

        [Fact]
        public void AMissingFileIsCandleFileUnreadable()
        {
            var error = Assert.Throws<CtException>(() => CandleImport.Import(folder.Database, Path.Combine(folder.Path, "none.csv"), "paper", "BTC-USD", CandleGranularity.OneHour));

            Assert.Equal(ErrorIds.CandleFileUnreadable, error.ErrorId);
            Assert.Equal(CtErrorKind.NotFound, error.Kind);
        }

        [Fact]
        public void SummariesCountTheSeries()
        {
            Write("coinbase", "BTC-USD", CandleGranularity.OneHour, Hourly(5, 1m), Hourly(2, 1m));

            var summary = Store.Summarize("coinbase", "BTC-USD", CandleGranularity.OneHour, 2);
            var empty = Store.Summarize("coinbase", "ETH-USD", CandleGranularity.OneHour, 0);

            Assert.Equal((2, 2, T0.AddHours(2), T0.AddHours(5)), (summary.Added, summary.Total, summary.First!.Value, summary.Last!.Value));
            Assert.Equal((0, (DateTime?)null), (empty.Total, empty.First));
        }

        [Fact]
        public void Migration9AddsTheCandleTablesToADatabaseOfVersion8()
        {
            var home = DataHome.At(Path.Combine(folder.Path, "v7"));
            home.EnsureCreated();
            SqliteNative.EnsureInitialized();
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = home.DatabasePath, Pooling = false }.ToString()))
            {
                connection.Open();
                Migrations.DefineFunctions(connection);
                foreach (var step in Migrations.Steps.Take(8))
                {
                    CtDatabase.Execute(connection, step);
                }
                CtDatabase.Execute(connection, "PRAGMA user_version = 8; INSERT INTO settings (name, value) VALUES ('kept', 'yes');");
            }

            using var database = CtDatabase.Open(home);

            Assert.True(database.SchemaVersion >= 9);
            Assert.Equal("yes", CtDatabase.Scalar(database.Connection, "SELECT value FROM settings WHERE name = 'kept';"));
            Assert.Equal(3L, CtDatabase.Scalar(database.Connection,
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('candle_series', 'candles', 'candle_coverage');"));
            Assert.Equal(0L, CtDatabase.Scalar(database.Connection, "SELECT count(*) FROM candles;"));
        }
    }
}
