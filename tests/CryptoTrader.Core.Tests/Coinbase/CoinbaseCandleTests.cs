using System;
using System.Linq;
using CoinbaseStub;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.MarketData;
using CryptoTrader.Core.Trading;
using Xunit;

namespace CryptoTrader.Core.Tests.Coinbase
{
    /// <summary>The adapter's candle request: signed like every request, Unix seconds, one page, answers parsed exactly and oldest first.</summary>
    [Collection(CoinbaseCollection.Name)]
    public sealed class CoinbaseCandleTests
    {
        private const long Hour = 3600;
        private const long Jan1 = 1704067200;
        private readonly CoinbaseFixture fixture;

        public CoinbaseCandleTests(CoinbaseFixture fixture)
        {
            this.fixture = fixture;
            fixture.Reset();
        }

        [Fact]
        public void APageComesBackOldestFirst_ExactAsTheExchangeSentIt_WithoutTheGap()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            fixture.Server.CandleGapEvery = 5;

            var candles = adapter.GetCandles(credential, "BTC-USD", CandleGranularity.OneHour, new CandleRange(Jan1, Jan1 + 10 * Hour));

            var expected = Enumerable.Range(0, 10).Select(i => Jan1 + i * Hour).Where(t => !StubMarket.IsGap(t, Hour, 5)).ToList();
            Assert.Equal(expected, candles.Select(c => CandleTime.ToUnixSeconds(c.Start)));
            Assert.Equal(8, candles.Count);
            foreach (var candle in candles)
            {
                var (open, high, low, close, volume) = StubMarket.Candle(CandleTime.ToUnixSeconds(candle.Start), Hour);
                Assert.Equal((open, high, low, close, volume), (candle.Open, candle.High, candle.Low, candle.Close, candle.Volume));
                Assert.Equal(("coinbase", "BTC-USD", CandleGranularity.OneHour), (candle.Exchange, candle.Symbol, candle.Granularity));
            }
            var request = fixture.Server.Snapshot().Single();
            Assert.Equal("/api/v3/brokerage/products/BTC-USD/candles", request.Path);
            Assert.Equal($"?start={Jan1}&end={Jan1 + 10 * Hour - 1}&granularity=ONE_HOUR", request.Query);
            Assert.Null(request.JwtError);
        }

        [Fact]
        public void APageOfMoreThan350CandlesIsNeverSent()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();

            Assert.Throws<ArgumentException>(() => adapter.GetCandles(credential, "BTC-USD", CandleGranularity.OneMinute, new CandleRange(Jan1, Jan1 + 351 * 60)));
            Assert.Empty(fixture.Server.Snapshot());
        }

        [Fact]
        public void CandlesOutsideThePageAreDropped_AndAMalformedOneIsAnInvalidResponse()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            fixture.Server.Script.Enqueue(new ScriptedResponse("candles", 200,
                "{\"candles\":[{\"start\":\"" + (Jan1 + Hour) + "\",\"low\":\"1\",\"high\":\"3\",\"open\":\"2\",\"close\":\"2.5\",\"volume\":\"7\"}," +
                "{\"start\":\"" + (Jan1 + 5 * Hour) + "\",\"low\":\"1\",\"high\":\"3\",\"open\":\"2\",\"close\":\"2.5\",\"volume\":\"7\"}," +
                "{\"start\":\"" + (Jan1 + 30) + "\",\"low\":\"1\",\"high\":\"3\",\"open\":\"2\",\"close\":\"2.5\",\"volume\":\"7\"}]}"));
            fixture.Server.Script.Enqueue(new ScriptedResponse("candles", 200,
                "{\"candles\":[{\"start\":\"" + Jan1 + "\",\"low\":\"1\",\"high\":\"3\",\"open\":\"two\",\"close\":\"2.5\",\"volume\":\"7\"}]}"));

            var page = new CandleRange(Jan1, Jan1 + 2 * Hour);
            var kept = Assert.Single(adapter.GetCandles(credential, "BTC-USD", CandleGranularity.OneHour, page));
            var error = Assert.Throws<ExchangeException>(() => adapter.GetCandles(credential, "BTC-USD", CandleGranularity.OneHour, page));

            Assert.Equal(Jan1 + Hour, CandleTime.ToUnixSeconds(kept.Start));
            Assert.Equal(ErrorIds.ExchangeResponseInvalid, error.ErrorId);
        }

        [Fact]
        public void ARateLimitAnswerIsRetriedAfterRetryAfter()
        {
            var (adapter, sleeps) = fixture.Adapter();
            using var credential = fixture.Credential();
            fixture.Server.Script.Enqueue(new ScriptedResponse("candles", 429, "{\"error\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"Too many requests\"}", RetryAfter: "2"));

            var candles = adapter.GetCandles(credential, "ETH-USD", CandleGranularity.OneDay, new CandleRange(Jan1, Jan1 + 86400));

            Assert.Single(candles);
            Assert.Equal(2, fixture.Server.Snapshot().Count);
            Assert.Equal(new[] { TimeSpan.FromSeconds(2) }, sleeps);
        }
    }
}
