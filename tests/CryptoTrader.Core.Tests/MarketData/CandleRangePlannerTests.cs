using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.MarketData;
using Xunit;

namespace CryptoTrader.Core.Tests.MarketData
{
    /// <summary>Incremental range planning: only what is not covered, in pages of at most 350 candles; and the times it works in.</summary>
    public sealed class CandleRangePlannerTests
    {
        private const long Hour = 3600;

        private static CandleRange R(long startHour, long endHour) => new CandleRange(startHour * Hour, endHour * Hour);

        private static IEnumerable<(long, long)> Hours(IEnumerable<CandleRange> ranges) => ranges.Select(r => (r.Start / Hour, r.End / Hour));

        [Fact]
        public void NothingCoveredMeansTheWholeRange()
        {
            Assert.Equal(new[] { (10L, 20L) }, Hours(CandleRangePlanner.Missing(R(10, 20), new List<CandleRange>())));
        }

        [Fact]
        public void OnlyTheGapsBetweenCoveredRangesAreMissing()
        {
            var covered = new[] { R(0, 12), R(14, 15), R(18, 30) };

            Assert.Equal(new[] { (12L, 14L), (15L, 18L) }, Hours(CandleRangePlanner.Missing(R(10, 20), covered)));
        }

        [Fact]
        public void AFullyCoveredRangeIsNotFetchedAgain()
        {
            Assert.Empty(CandleRangePlanner.Missing(R(10, 20), new[] { R(5, 12), R(12, 25) }));
        }

        [Fact]
        public void CoverageOutsideTheRangeIsIgnored()
        {
            Assert.Equal(new[] { (10L, 20L) }, Hours(CandleRangePlanner.Missing(R(10, 20), new[] { R(0, 10), R(20, 40) })));
        }

        [Fact]
        public void PagesHoldAtMost350Candles()
        {
            var pages = CandleRangePlanner.Pages(R(0, 744), Hour);

            Assert.Equal(new[] { (0L, 350L), (350L, 700L), (700L, 744L) }, Hours(pages));
            Assert.Single(CandleRangePlanner.Pages(R(0, 350), Hour));
            Assert.Empty(CandleRangePlanner.Pages(R(5, 5), Hour));
        }

        [Fact]
        public void AYearOfMinutesIs1502Requests()
        {
            var year = new CandleRange(0, 365L * 24 * 3600);

            var pages = CandleRangePlanner.Pages(year, 60);

            Assert.Equal(1502, pages.Count);
            Assert.All(pages, p => Assert.True((p.End - p.Start) / 60 <= 350));
            Assert.Equal(525_600, pages.Sum(p => (p.End - p.Start) / 60));
        }

        [Fact]
        public void AnUnalignedRangeIsAProgrammingError()
        {
            Assert.Throws<ArgumentException>(() => CandleRangePlanner.Pages(new CandleRange(30, Hour * 2), Hour));
        }

        [Fact]
        public void ARangeRunsFromTheCandleContainingStartToAWholeCandleAfterEnd()
        {
            var start = new DateTime(2024, 1, 1, 10, 30, 0, DateTimeKind.Utc);
            var end = new DateTime(2024, 1, 1, 12, 0, 1, DateTimeKind.Utc);

            var range = CandleTime.Range(start, end, CandleGranularity.OneHour);

            Assert.Equal(new DateTime(2024, 1, 1, 10, 0, 0, DateTimeKind.Utc), CandleTime.FromUnixSeconds(range.Start));
            Assert.Equal(new DateTime(2024, 1, 1, 13, 0, 0, DateTimeKind.Utc), CandleTime.FromUnixSeconds(range.End));
            Assert.Equal(1704067200, CandleTime.ToUnixSeconds(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
            Assert.Equal(-60, CandleTime.AlignDown(-1, 60));
            Assert.Equal(0, CandleTime.AlignUp(-1, 60));
        }

        [Fact]
        public void ATimeWithoutAZoneIsUtcAndALocalOneIsConverted()
        {
            var unspecified = new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Unspecified);
            var local = new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Local);

            Assert.Equal(DateTimeKind.Utc, CandleTime.ToUtc(unspecified).Kind);
            Assert.Equal(unspecified.Ticks, CandleTime.ToUtc(unspecified).Ticks);
            Assert.Equal(local.ToUniversalTime(), CandleTime.ToUtc(local));
        }

        [Fact]
        public void StartMustComeBeforeEnd()
        {
            var at = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

            var error = Assert.Throws<CtException>(() => CandleTime.Range(at, at, CandleGranularity.OneDay));

            Assert.Equal(ErrorIds.InvalidTimeRange, error.ErrorId);
            Assert.Equal(CtErrorKind.InvalidArgument, error.Kind);
        }

        [Theory]
        [InlineData(CandleGranularity.OneMinute, 60, "ONE_MINUTE")]
        [InlineData(CandleGranularity.FifteenMinute, 900, "FIFTEEN_MINUTE")]
        [InlineData(CandleGranularity.SixHour, 21600, "SIX_HOUR")]
        [InlineData(CandleGranularity.OneDay, 86400, "ONE_DAY")]
        public void GranularitiesHaveTheirLengthAndCoinbaseName(CandleGranularity granularity, long seconds, string name)
        {
            Assert.Equal(seconds, granularity.Seconds());
            Assert.Equal(granularity, Granularities.FromSeconds(seconds));
            Assert.Equal(name, granularity.CoinbaseName());
        }
    }
}
