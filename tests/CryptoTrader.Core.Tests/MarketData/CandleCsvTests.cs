using System;
using System.IO;
using System.Linq;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.MarketData;
using Xunit;

namespace CryptoTrader.Core.Tests.MarketData
{
    /// <summary>CSV candles: the accepted forms, and bad rows refused by line number with nothing returned.</summary>
    public sealed class CandleCsvTests
    {
        private static System.Collections.Generic.List<Candle> Parse(string text, CandleGranularity granularity = CandleGranularity.OneHour) =>
            CandleCsv.Parse(new StringReader(text), "test.csv", "paper", "BTC-USD", granularity);

        private static CtException Refused(string text, CandleGranularity granularity = CandleGranularity.OneHour)
        {
            var error = Assert.Throws<CtException>(() => Parse(text, granularity));
            Assert.Equal(ErrorIds.InvalidCandleFile, error.ErrorId);
            Assert.Equal(CtErrorKind.InvalidData, error.Kind);
            Assert.Equal("test.csv", error.Target);
            return error;
        }

        [Fact]
        public void UnixSecondsAndIso8601TimesAreAccepted_OldestFirst()
        {
            var candles = Parse(
                "time,open,high,low,close,volume\n" +
                "2024-01-01T02:00:00Z,3,3.5,2.5,3.25,0\n" +
                "1704067200,1.10,2,1,1.5,10.125\n" +
                "2024-01-01 01:00,2,2,1.5,2,1e-3\n" +
                "2024-01-01T04:00:00+01:00,4,4,4,4,4\n");

            Assert.Equal(new[] { 0, 1, 2, 3 }, candles.Select(c => (int)(c.Start - new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalHours));
            Assert.All(candles, c => Assert.Equal(DateTimeKind.Utc, c.Start.Kind));
            var first = candles[0];
            Assert.Equal(1.10m, first.Open);
            Assert.Equal("1.10", first.Open.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal((2m, 1m, 1.5m, 10.125m), (first.High, first.Low, first.Close, first.Volume));
            Assert.Equal(0.001m, candles[1].Volume);
            Assert.All(candles, c => Assert.Equal(("paper", "BTC-USD", CandleGranularity.OneHour), (c.Exchange, c.Symbol, c.Granularity)));
        }

        [Fact]
        public void TheHeaderMayBeInAnyOrderAndCase_QuotedAndWithOtherColumns()
        {
            var candles = Parse("\uFEFF\"Volume\",Close,LOW,high,Open,Time,trades\r\n\r\n\"5\",2,1,3,2,2024-01-01,77\r\n", CandleGranularity.OneDay);

            var candle = Assert.Single(candles);
            Assert.Equal((2m, 3m, 1m, 2m, 5m), (candle.Open, candle.High, candle.Low, candle.Close, candle.Volume));
        }

        [Fact]
        public void BadRowsAreListedByLineNumberAndNothingIsReturned()
        {
            var error = Refused(
                "time,open,high,low,close,volume\n" +
                "2024-01-01T00:00:00Z,1,2,1,1.5,1\n" +
                "2024-01-01T01:00:00Z,1,2,1,n/a,1\n" +
                "2024-01-01T02:30:00Z,1,2,1,1.5,1\n" +
                "yesterday,1,2,1,1.5,1\n" +
                "2024-01-01T03:00:00Z,1,2,1\n" +
                "2024-01-01T04:00:00Z,1,0.5,1,1,1\n" +
                "2024-01-01T05:00:00Z,-1,2,1,1,1\n" +
                "2024-01-01T06:00:00Z,1,2,1,1,-1\n" +
                "2024-01-01T00:00:00Z,1,2,1,1.5,1\n");

            Assert.Contains("8 bad line(s)", error.Message);
            Assert.Contains("line 3: close 'n/a' is not a number", error.Message);
            Assert.Contains("line 4: 2024-01-01T02:30:00Z does not start a OneHour candle", error.Message);
            Assert.Contains("line 5: time 'yesterday'", error.Message);
            Assert.Contains("line 6: 4 fields where the header has 6", error.Message);
            Assert.Contains("line 7: high 0.5 and low 1 must bracket", error.Message);
            Assert.Contains("line 8: prices must be greater than zero", error.Message);
            Assert.Contains("line 9: the volume must not be negative", error.Message);
            Assert.Contains("line 10: a second candle for 2024-01-01T00:00:00Z (the first is on line 2)", error.Message);
            Assert.DoesNotContain("line 2:", error.Message);
        }

        [Fact]
        public void ManyBadRowsListTheFirstTenAndCountTheRest()
        {
            var text = "time,open,high,low,close,volume\n" + string.Concat(Enumerable.Range(0, 25).Select(i => $"bad{i},1,1,1,1,1\n"));

            var error = Refused(text);

            Assert.Contains("25 bad line(s)", error.Message);
            Assert.Contains("line 11:", error.Message);
            Assert.DoesNotContain("line 12:", error.Message);
            Assert.Contains("and 15 more bad lines", error.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("\n\n")]
        [InlineData("time,open,high,low,close,volume\n")]
        [InlineData("date,open,high,low,close,volume\n2024-01-01,1,1,1,1,1\n")]
        [InlineData("1704067200,1,1,1,1,1\n")]
        public void AFileWithoutAHeaderOrCandlesIsRefused(string text)
        {
            Refused(text, CandleGranularity.OneDay);
        }

        [Fact]
        public void WhatTheFileHoldsIsShownWithoutControlCharacters()
        {
            var error = Refused("time,open,high,low,close,volume\n\u001b[31mred,1,1,1,1,1\n");

            Assert.DoesNotContain("\u001b", error.Message, StringComparison.Ordinal);
            Assert.Contains("?[31mred", error.Message);
        }
    }
}
