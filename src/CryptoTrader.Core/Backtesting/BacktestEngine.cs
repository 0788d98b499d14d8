using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.MarketData;
using CryptoTrader.Core.Trading;

namespace CryptoTrader.Core.Backtesting
{
    /// <summary>
    /// Replays candles in time order and calls the strategy once per candle. Pure and deterministic: the same candles,
    /// settings and strategy give the same result; it touches no account, exchange or audit log.
    /// </summary>
    public static class BacktestEngine
    {
        /// <param name="candles">The series in time order.</param>
        /// <param name="strategy">
        /// Called with each candle once its close is known. An exception from it stops the run with a
        /// BacktestStrategyFailed error naming the candle; an <see cref="OperationCanceledException"/> (the user stopped it) passes unchanged.
        /// </param>
        public static BacktestResult Run(BacktestSettings settings, IEnumerable<Candle> candles, Action<Candle, BacktestContext> strategy)
        {
            var context = new BacktestContext(settings);
            Candle? first = null;
            Candle? last = null;
            var count = 0;
            var initialValue = 0m;
            var peak = 0m;
            var maxDrawdown = 0m;
            foreach (var candle in candles)
            {
                if (first is null)
                {
                    first = candle;
                    initialValue = context.ValueAt(candle.Open);
                    peak = initialValue;
                }
                context.Advance(candle);
                count++;
                try
                {
                    strategy(candle, context);
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    throw new CtException(ErrorIds.BacktestStrategyFailed, CtErrorKind.InvalidOperation,
                        $"The strategy failed on the {settings.Granularity} candle of {settings.Symbol} starting {candle.Start:yyyy-MM-ddTHH:mm:ssZ} (candle {count} of the run): {e.Message.TrimEnd('.', ' ')}. The backtest stopped.",
                        candle, e);
                }
                var value = context.ValueAt(candle.Close);
                if (value > peak)
                {
                    peak = value;
                }
                else if (peak > 0m)
                {
                    maxDrawdown = Math.Max(maxDrawdown, (peak - value) / peak);
                }
                last = candle;
            }
            if (first is null || last is null)
            {
                throw new CtException(ErrorIds.NoCandles, CtErrorKind.NotFound,
                    $"No {settings.Granularity} candles of {settings.Symbol} from {settings.Exchange} are stored in that range: store them with Sync-CtMarketData or Import-CtCandle first.",
                    settings.Symbol);
            }
            context.Finish();
            var finalValue = OrderValidation.Canonical(context.ValueAt(last.Close));
            var end = last.Start.AddSeconds(settings.Granularity.Seconds());
            return new BacktestResult
            {
                Exchange = settings.Exchange,
                Symbol = settings.Symbol,
                Granularity = settings.Granularity,
                Start = first.Start,
                End = end,
                Candles = count,
                Trades = context.Trades.ToArray(),
                FeeRate = settings.FeeRate,
                InitialValue = OrderValidation.Canonical(initialValue),
                FinalBalance = new SortedDictionary<string, decimal>(context.Balances.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal),
                FinalValue = finalValue,
                ReturnPercent = initialValue > 0m ? Percent((finalValue - initialValue) / initialValue) : 0m,
                MaxDrawdownPercent = Percent(maxDrawdown),
                Duration = end - first.Start,
            };
        }

        private static decimal Percent(decimal fraction) => OrderValidation.Canonical(Math.Round(fraction * 100m, 4, MidpointRounding.AwayFromZero));
    }
}
