using System;
using System.Collections.Generic;

namespace CryptoTrader
{
    /// <summary>What a strategy did over stored candles: its trades, the balances it ended with, return and drawdown.</summary>
    public sealed class BacktestResult
    {
        public string Exchange { get; internal set; } = string.Empty;

        public string Symbol { get; internal set; } = string.Empty;

        public CandleGranularity Granularity { get; internal set; }

        /// <summary>Start of the first candle replayed (UTC).</summary>
        public DateTime Start { get; internal set; }

        /// <summary>End of the last candle replayed (its start plus the granularity; UTC).</summary>
        public DateTime End { get; internal set; }

        /// <summary>How many candles were replayed.</summary>
        public int Candles { get; internal set; }

        /// <summary>Every order the strategy placed, in order: filled, refused or unfilled.</summary>
        public BacktestTrade[] Trades { get; internal set; } = Array.Empty<BacktestTrade>();

        public decimal FeeRate { get; internal set; }

        /// <summary>The initial balances valued in the quote currency at the first candle's open.</summary>
        public decimal InitialValue { get; internal set; }

        /// <summary>Every currency's balance at the end, by currency code.</summary>
        public IReadOnlyDictionary<string, decimal> FinalBalance { get; internal set; } = new SortedDictionary<string, decimal>();

        /// <summary>The quote and base balances valued in the quote currency at the last close.</summary>
        public decimal FinalValue { get; internal set; }

        /// <summary>(FinalValue - InitialValue) / InitialValue, in percent, rounded to 4 decimal places.</summary>
        public decimal ReturnPercent { get; internal set; }

        /// <summary>The largest fall of the value (at each candle's close) from its highest point before, in percent, rounded to 4 decimal places.</summary>
        public decimal MaxDrawdownPercent { get; internal set; }

        /// <summary>End - Start: the market time the candles cover.</summary>
        public TimeSpan Duration { get; internal set; }
    }
}
