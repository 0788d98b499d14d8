using System;
using System.Collections.Generic;
using System.Linq;
using System.Web;
using CoinbaseStub;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.MarketData;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Tests.Audit;
using CryptoTrader.Core.Tests.Coinbase;
using CryptoTrader.Core.Trading;
using Xunit;

namespace CryptoTrader.Core.Tests.MarketData
{
    /// <summary>
    /// A sync against the Coinbase stand-in through the trading service and the permission gate: pages of at most 350
    /// candles, only what is missing, nothing twice; a read-only credential without a grant is enough; reads leave no
    /// audit record, exchange errors do.
    /// </summary>
    [Collection(CoinbaseCollection.Name)]
    public sealed class MarketDataSyncTests : IDisposable
    {
        private const long Hour = 3600;
        private static readonly DateTime Jan1 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private static readonly DateTime Now = new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        private readonly CoinbaseFixture fixture;
        private readonly AuditTestFolder folder = new AuditTestFolder();

        public MarketDataSyncTests(CoinbaseFixture fixture)
        {
            this.fixture = fixture;
            fixture.Reset();
            Assert.True(fixture.TrustProblem is null, fixture.TrustProblem);
            new SettingsStore(folder.Database).Set(new Dictionary<string, string?> { [SettingNames.CoinbaseBaseUrl] = fixture.Server.BaseUrl });
        }

        public void Dispose() => folder.Dispose();

        private void StoreKey(bool canTrade = false)
        {
            fixture.Server.CanTrade = canTrade;
            new ApiKeyService(folder.Database).Set(folder.Log, folder.Ring, "coinbase", "default", fixture.KeyName, fixture.Pem.ToCharArray());
            lock (fixture.Server.Requests)
            {
                fixture.Server.Requests.Clear();
            }
        }

        private MarketDataSummary Sync(string symbol, DateTime start, DateTime? end, CandleGranularity granularity = CandleGranularity.OneHour, DateTime? now = null, string exchange = "coinbase") =>
            new MarketDataSync(folder.Database, new TradingService(folder.Database, folder.Log, folder.Ring))
                .Sync(exchange, "default", symbol, granularity, start, end, now ?? Now);

        private List<RecordedRequest> CandleRequests() => fixture.Server.Snapshot().Where(r => r.Path.EndsWith("/candles", StringComparison.Ordinal)).ToList();

        private static long Query(RecordedRequest request, string name) => long.Parse(HttpUtility.ParseQueryString(request.Query)[name]!);

        private static int Expected(DateTime start, DateTime end, long step) =>
            Enumerable.Range(0, (int)((end - start).Ticks / TimeSpan.TicksPerSecond / step))
                .Count(i => !StubMarket.IsGap(CandleTime.ToUnixSeconds(start) + i * step, step, 1000));

        [Fact]
        public void AReadOnlyCredentialSyncsPageByPage_WithoutAuditRecords_AndARerunSendsNothing()
        {
            StoreKey(canTrade: false);
            var recordsBefore = folder.ReadAll().Count;
            var end = Jan1.AddDays(31);

            var first = Sync("BTC-USD", Jan1, end);

            Assert.Equal(Expected(Jan1, end, Hour), first.Added);
            Assert.Equal(743, first.Added);
            Assert.Equal((743, Jan1, end.AddHours(-1)), (first.Total, first.First!.Value, first.Last!.Value));
            var requests = CandleRequests();
            Assert.Equal(3, requests.Count);
            Assert.All(requests, r => Assert.Null(r.JwtError));
            Assert.Equal(new[] { 0L, 350 * Hour, 700 * Hour }, requests.Select(r => Query(r, "start") - CandleTime.ToUnixSeconds(Jan1)));
            Assert.All(requests, r => Assert.True((Query(r, "end") + 1 - Query(r, "start")) / Hour <= 350));
            Assert.All(requests, r => Assert.Equal("ONE_HOUR", HttpUtility.ParseQueryString(r.Query)["granularity"]));
            foreach (var candle in new CandleStore(folder.Database).Read("coinbase", "BTC-USD", CandleGranularity.OneHour))
            {
                var (open, high, low, close, volume) = StubMarket.Candle(CandleTime.ToUnixSeconds(candle.Start), Hour);
                Assert.Equal((open, high, low, close, volume), (candle.Open, candle.High, candle.Low, candle.Close, candle.Volume));
            }
            Assert.Equal(recordsBefore, folder.ReadAll().Count);
            Assert.Equal("ReadOnly", new PermissionService(folder.Database).Describe(folder.Ring, "coinbase", "default").Level);

            var again = Sync("BTC-USD", Jan1, end);

            Assert.Equal((0, 743), (again.Added, again.Total));
            Assert.Equal(3, CandleRequests().Count);
            Assert.Equal(recordsBefore, folder.ReadAll().Count);
        }

        [Fact]
        public void ALongerRangeFetchesOnlyWhatIsNotStored()
        {
            StoreKey();
            Sync("ETH-USD", Jan1, Jan1.AddDays(10));
            var before = CandleRequests().Count;

            var summary = Sync("ETH-USD", Jan1.AddDays(5), Jan1.AddDays(20));

            var later = CandleRequests().Skip(before).ToList();
            Assert.Equal(CandleTime.ToUnixSeconds(Jan1.AddDays(10)), Query(later[0], "start"));
            Assert.Equal(CandleTime.ToUnixSeconds(Jan1.AddDays(20)) - 1, Query(later.Last(), "end"));
            Assert.Equal(Expected(Jan1.AddDays(10), Jan1.AddDays(20), Hour), summary.Added);
            Assert.Equal(Expected(Jan1, Jan1.AddDays(20), Hour), summary.Total);
        }

        [Fact]
        public void TheCandleStillFormingIsNotStored()
        {
            StoreKey();
            var now = DateTime.UtcNow;
            var forming = CandleTime.AlignDown(CandleTime.ToUnixSeconds(now), 60);

            var summary = Sync("BTC-USD", now.AddMinutes(-20), null, CandleGranularity.OneMinute, now);

            Assert.True(CandleTime.ToUnixSeconds(summary.Last!.Value) < forming);
            Assert.True(CandleTime.ToUnixSeconds(summary.Last!.Value) >= forming - 120);
            var store = new CandleStore(folder.Database);
            var series = store.FindSeries("coinbase", "BTC-USD", CandleGranularity.OneMinute, null)!.Value;
            Assert.Equal(forming, store.Coverage(series).Single().End);
        }

        [Fact]
        public void RateLimitedRequestsAreRetriedAndTheSyncCompletes()
        {
            StoreKey();
            fixture.Server.CandleRateLimitEvery = 3;
            var end = Jan1.AddMinutes(5 * 350);

            var summary = Sync("BTC-USD", Jan1, end, CandleGranularity.OneMinute);

            Assert.Equal(Expected(Jan1, end, 60), summary.Added);
            // Requests 3 and 6 were refused with HTTP 429 and sent again after Retry-After: 1.
            var starts = CandleRequests().Select(r => (Query(r, "start") - CandleTime.ToUnixSeconds(Jan1)) / (350 * 60)).ToList();
            Assert.Equal(new long[] { 0, 1, 2, 2, 3, 4, 4 }, starts);
        }

        [Fact]
        public void AnExchangeErrorIsAuditedAndEndsTheSync_KeepingThePagesStoredBefore()
        {
            StoreKey();
            fixture.Server.Script.Enqueue(new ScriptedResponse("candles", 200, "{\"candles\":[]}"));
            fixture.Server.Script.Enqueue(new ScriptedResponse("candles", 401, "{\"error\":\"UNAUTHENTICATED\",\"message\":\"Unauthorized\"}"));
            var recordsBefore = folder.ReadAll().Count;

            var error = Assert.Throws<CtException>(() => Sync("BTC-USD", Jan1, Jan1.AddDays(30)));

            Assert.Equal(ErrorIds.ExchangeAuthenticationFailed, error.ErrorId);
            Assert.Equal(CtErrorKind.AuthenticationError, error.Kind);
            var record = Assert.Single(folder.ReadAll().Skip(recordsBefore));
            Assert.Equal(AuditEventType.Error, record.EventType);
            Assert.Equal(ErrorIds.ExchangeAuthenticationFailed, record.Details["error_id"]);
            Assert.Equal(("coinbase", "default", "GetCandles", "BTC-USD"), (record.Details["exchange"], record.Details["name"], record.Details["operation"], record.Details["symbol"]));
            foreach (var request in fixture.Server.Snapshot())
            {
                Assert.DoesNotContain(request.Jwt.Split('.').Last(), record.DetailsJson);
                Assert.DoesNotContain(request.Jwt.Split('.').Last(), error.ToString());
            }
            var store = new CandleStore(folder.Database);
            var series = store.FindSeries("coinbase", "BTC-USD", CandleGranularity.OneHour, null)!.Value;
            Assert.Equal(new[] { (CandleTime.ToUnixSeconds(Jan1), CandleTime.ToUnixSeconds(Jan1) + 350 * Hour) }, store.Coverage(series).Select(r => (r.Start, r.End)));
        }

        [Fact]
        public void AnUnknownProductIsAFailedRequest_Audited()
        {
            StoreKey();

            var error = Assert.Throws<CtException>(() => Sync("DOGE-USD", Jan1, Jan1.AddDays(1)));

            Assert.Equal(ErrorIds.ExchangeRequestRefused, error.ErrorId);
            Assert.Contains("ProductID is invalid", error.Message);
            Assert.Equal(ErrorIds.ExchangeRequestRefused, folder.ReadAll().Last().Details["error_id"]);
        }

        [Fact]
        public void ThePaperExchangeHasNoHistory_AndNothingIsSent()
        {
            var error = Assert.Throws<CtException>(() => Sync("BTC-USD", Jan1, Jan1.AddDays(1), exchange: "paper"));

            Assert.Equal(ErrorIds.ExchangeHasNoHistory, error.ErrorId);
            Assert.Contains("Import-CtCandle", error.Message);
            Assert.Empty(fixture.Server.Snapshot());
        }

        [Fact]
        public void WithoutAStoredCredentialNothingIsSent()
        {
            var error = Assert.Throws<CtException>(() => Sync("BTC-USD", Jan1, Jan1.AddDays(1)));

            Assert.Equal(ErrorIds.CredentialNotFound, error.ErrorId);
            Assert.Empty(fixture.Server.Snapshot());
        }
    }
}
