using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CryptoTrader.Core.Backtesting;
using CryptoTrader.Core.Errors;
using Xunit;

namespace CryptoTrader.Core.Tests.Backtesting
{
    /// <summary>The engine against results worked out by hand for small series: fills at the next open, fees, refusals, drawdown.</summary>
    public sealed class BacktestEngineTests
    {
        private static readonly DateTime T0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        /// <summary>Hourly BTC-USD candles from <see cref="T0"/>, each (open, close); high and low bracket them.</summary>
        private static List<Candle> Series(params (decimal Open, decimal Close)[] prices) => prices
            .Select((p, i) => new Candle("coinbase", "BTC-USD", CandleGranularity.OneHour, T0.AddHours(i), p.Open, Math.Max(p.Open, p.Close), Math.Min(p.Open, p.Close), p.Close, 1m))
            .ToList();

        private static BacktestSettings Settings(decimal feeRate, params (string Currency, string Amount)[] balances) =>
            BacktestSettings.Create("coinbase", "BTC-USD", CandleGranularity.OneHour,
                balances.Length == 0 ? null : balances.Select(b => new KeyValuePair<string, string?>(b.Currency, b.Amount)), feeRate);

        /// <summary>Calls <paramref name="onCandle"/> with the candle's index in the run.</summary>
        private static BacktestResult Run(BacktestSettings settings, List<Candle> candles, Action<int, BacktestContext> onCandle) =>
            BacktestEngine.Run(settings, candles, (candle, context) => onCandle(candles.IndexOf(candle), context));

        [Fact]
        public void OrdersFillAtTheNextOpenWithTheFeeInTheQuoteCurrency()
        {
            var candles = Series((100m, 100m), (110m, 120m), (130m, 90m), (95m, 100m));

            var result = Run(Settings(0.01m, ("USD", "10000")), candles, (i, backtest) =>
            {
                if (i == 0) backtest.Buy(10m);
                if (i == 2) backtest.Sell(10m);
            });

            // c1 open 110: 10 BTC cost 1100 + fee 11 -> USD 8889. c3 open 95: 950 - fee 9.5 -> USD 9829.5.
            Assert.Equal(2, result.Trades.Length);
            AssertTrade(result.Trades[0], "Buy", 10m, T0, T0.AddHours(1), 110m, 11m, "Filled");
            AssertTrade(result.Trades[1], "Sell", 10m, T0.AddHours(2), T0.AddHours(3), 95m, 9.5m, "Filled");
            Assert.Equal(9829.5m, result.FinalBalance["USD"]);
            Assert.Equal(0m, result.FinalBalance["BTC"]);
            Assert.Equal(10000m, result.InitialValue);
            Assert.Equal(9829.5m, result.FinalValue);
            Assert.Equal(-1.705m, result.ReturnPercent);
            // Value at the closes: 10000, 8889 + 1200 = 10089 (peak), 8889 + 900 = 9789, 9829.5: worst fall 300 / 10089.
            Assert.Equal(2.9735m, result.MaxDrawdownPercent);
            Assert.Equal(4, result.Candles);
            Assert.Equal(T0, result.Start);
            Assert.Equal(T0.AddHours(4), result.End);
            Assert.Equal(TimeSpan.FromHours(4), result.Duration);
            Assert.Equal(DateTimeKind.Utc, result.Start.Kind);
        }

        [Fact]
        public void AnOrderTheBalanceCannotPayIsRefusedAndChangesNothing()
        {
            var candles = Series((100m, 100m), (100m, 100m), (100m, 100m), (100m, 100m));

            var result = Run(Settings(0.01m, ("USD", "1000")), candles, (i, backtest) =>
            {
                if (i == 0)
                {
                    backtest.Buy(10m);    // 1000 + fee 10 > 1000
                    backtest.Sell(1m);    // no BTC held
                }
                if (i == 1)
                {
                    backtest.Buy(9m);     // 900 + 9 = 909: fills
                    backtest.Buy(1m);     // 100 + 1 > the 91 left after the first
                }
            });

            Assert.Equal(new[] { "Refused", "Refused", "Filled", "Refused" }, result.Trades.Select(t => t.Status));
            Assert.Contains("1010 USD", result.Trades[0].Reason);
            Assert.Contains("1 BTC", result.Trades[1].Reason);
            Assert.All(new[] { result.Trades[0], result.Trades[1], result.Trades[3] }, t => Assert.Equal(0m, t.Fee));
            Assert.Equal(100m, result.Trades[0].Price);
            Assert.Equal(T0.AddHours(1), result.Trades[0].Time);
            Assert.Equal(91m, result.FinalBalance["USD"]);
            Assert.Equal(9m, result.FinalBalance["BTC"]);
            Assert.Equal(991m, result.FinalValue);
            Assert.Equal(-0.9m, result.ReturnPercent);
        }

        [Fact]
        public void OrdersPlacedOnTheLastCandleNeverFill()
        {
            var candles = Series((100m, 100m), (100m, 105m));

            var result = Run(Settings(0.006m), candles, (i, backtest) =>
            {
                if (i == 1) backtest.Buy(1m);
            });

            var trade = Assert.Single(result.Trades);
            Assert.Equal("Unfilled", trade.Status);
            Assert.Equal(T0.AddHours(1), trade.Placed);
            Assert.Null(trade.Time);
            Assert.Null(trade.Price);
            Assert.Equal(0m, trade.Fee);
            Assert.Equal(10000m, result.FinalBalance["USD"]);
            Assert.Equal(0m, result.ReturnPercent);
        }

        [Fact]
        public void ValueCountsTheBaseCurrencyAtTheFirstOpenAndEachClose()
        {
            var candles = Series((50m, 60m), (60m, 30m), (30m, 45m));

            var result = Run(Settings(0m, ("BTC", "2")), candles, (i, backtest) => { });

            Assert.Equal(100m, result.InitialValue);
            Assert.Equal(90m, result.FinalValue);
            Assert.Equal(-10m, result.ReturnPercent);
            // Closes value 120 (peak), 60, 90: half of the peak lost.
            Assert.Equal(50m, result.MaxDrawdownPercent);
            Assert.Equal(2m, result.FinalBalance["BTC"]);
            Assert.Equal(0m, result.FinalBalance["USD"]);
        }

        [Fact]
        public void CloseSeesTheClosesUpToTheCurrentCandleOnly()
        {
            var candles = Series((1m, 10m), (10m, 20m), (20m, 30m), (30m, 40m));
            var seen = new List<decimal[]>();
            var positions = new List<decimal>();

            Run(Settings(0m), candles, (i, backtest) =>
            {
                seen.Add(backtest.Close(3));
                positions.Add(backtest.Position);
                if (i == 0) backtest.Buy(2m);
            });

            Assert.Equal(new[] { 10m }, seen[0]);
            Assert.Equal(new[] { 10m, 20m }, seen[1]);
            Assert.Equal(new[] { 10m, 20m, 30m }, seen[2]);
            Assert.Equal(new[] { 20m, 30m, 40m }, seen[3]);
            Assert.Equal(new[] { 0m, 2m, 2m, 2m }, positions);
        }

        [Fact]
        public void BalanceIsTheSettledAmountOfAnyCurrency()
        {
            var candles = Series((100m, 100m), (100m, 100m));
            var seen = new List<(decimal Usd, decimal Eth)>();

            Run(Settings(0m, ("usd", "500"), ("ETH", "3")), candles, (i, backtest) =>
            {
                seen.Add((backtest.Balance("USD"), backtest.Balance("eth")));
                if (i == 0) backtest.Buy(1m);
            });

            Assert.Equal(new[] { (500m, 3m), (400m, 3m) }, seen);
        }

        [Fact]
        public void AStrategyThatThrowsStopsTheRunNamingTheCandle()
        {
            var candles = Series((1m, 1m), (1m, 1m), (1m, 1m));
            var calls = 0;

            var error = Assert.Throws<CtException>(() => Run(Settings(0m), candles, (i, backtest) =>
            {
                calls++;
                if (i == 1) throw new InvalidOperationException("no data feed");
            }));

            Assert.Equal(ErrorIds.BacktestStrategyFailed, error.ErrorId);
            Assert.Same(candles[1], error.Target);
            Assert.Contains("2024-01-01T01:00:00Z", error.Message);
            Assert.Contains("candle 2 of the run", error.Message);
            Assert.EndsWith(": no data feed. The backtest stopped.", error.Message);
            Assert.IsType<InvalidOperationException>(error.InnerException);
            Assert.Equal(2, calls);
        }

        [Fact]
        public void ABadOrderOrHistoryRequestIsAStrategyFailure()
        {
            var candles = Series((1m, 1m), (1m, 1m));

            var buy = Assert.Throws<CtException>(() => Run(Settings(0m), candles, (i, backtest) => backtest.Buy(0m)));
            var close = Assert.Throws<CtException>(() => Run(Settings(0m), candles, (i, backtest) => backtest.Close(0)));

            Assert.Equal(ErrorIds.BacktestStrategyFailed, buy.ErrorId);
            Assert.IsType<ArgumentOutOfRangeException>(buy.InnerException);
            Assert.Equal(ErrorIds.BacktestStrategyFailed, close.ErrorId);
        }

        [Fact]
        public void CancellationPassesThroughUnchanged()
        {
            var candles = Series((1m, 1m), (1m, 1m));
            var stop = new OperationCanceledException("stopped");

            var error = Assert.Throws<OperationCanceledException>(() => Run(Settings(0m), candles, (i, backtest) => throw stop));

            Assert.Same(stop, error);
        }

        [Fact]
        public void TheSameCandlesAndStrategyGiveTheSameResult()
        {
            var random = new Random(20);
            var candles = Series(Enumerable.Range(0, 500).Select(_ => ((decimal)random.Next(90, 110), (decimal)random.Next(90, 110))).ToArray());
            void Strategy(int i, BacktestContext backtest)
            {
                var closes = backtest.Close(5);
                if (closes.Average() < 100m) backtest.Buy(1.5m);
                else if (backtest.Position > 0m) backtest.Sell(backtest.Position);
            }

            var first = JsonSerializer.Serialize(Run(Settings(0.006m), candles, Strategy));
            var second = JsonSerializer.Serialize(Run(Settings(0.006m), candles, Strategy));

            Assert.Equal(first, second);
            Assert.Contains("\"Status\":\"Filled\"", first);
        }

        [Fact]
        public void NoCandlesIsAnError()
        {
            var error = Assert.Throws<CtException>(() => BacktestEngine.Run(Settings(0m), new List<Candle>(), (candle, context) => { }));

            Assert.Equal(ErrorIds.NoCandles, error.ErrorId);
            Assert.Equal(CtErrorKind.NotFound, error.Kind);
        }

        [Theory]
        [InlineData("-0.1", "USD", "10")]
        [InlineData("1", "USD", "10")]
        [InlineData("0", "U$D", "10")]
        [InlineData("0", "USD", "-1")]
        [InlineData("0", "USD", "ten")]
        [InlineData("0", "ETH", "10")]
        [InlineData("0", "USD", "0")]
        public void InvalidSettingsAreRefused(string feeRate, string currency, string amount)
        {
            var error = Assert.Throws<CtException>(() => Settings(decimal.Parse(feeRate, System.Globalization.CultureInfo.InvariantCulture), (currency, amount)));

            Assert.Equal(ErrorIds.InvalidBacktest, error.ErrorId);
            Assert.Equal(CtErrorKind.InvalidArgument, error.Kind);
        }

        [Fact]
        public void TheDefaultBalanceIsTenThousandOfTheQuoteCurrency()
        {
            var settings = BacktestSettings.Create("paper", "ETH-BTC", CandleGranularity.OneDay, null, BacktestSettings.DefaultFeeRate);

            Assert.Equal(new Dictionary<string, decimal> { ["BTC"] = 10000m }, settings.InitialBalance);
            Assert.Equal(0.006m, settings.FeeRate);
        }

        private static void AssertTrade(BacktestTrade trade, string side, decimal quantity, DateTime placed, DateTime time, decimal price, decimal fee, string status)
        {
            Assert.Equal(side, trade.Side);
            Assert.Equal(quantity, trade.Quantity);
            Assert.Equal(placed, trade.Placed);
            Assert.Equal(time, trade.Time);
            Assert.Equal(price, trade.Price);
            Assert.Equal(fee, trade.Fee);
            Assert.Equal(status, trade.Status);
            Assert.Equal(string.Empty, trade.Reason);
        }
    }
}
