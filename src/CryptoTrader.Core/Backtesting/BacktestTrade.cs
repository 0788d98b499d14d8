using System;

namespace CryptoTrader
{
    /// <summary>An order a backtest strategy placed, and what became of it at the next candle's open.</summary>
    public sealed class BacktestTrade
    {
        /// <summary>Start of the candle the strategy placed the order on (UTC).</summary>
        public DateTime Placed { get; internal set; }

        /// <summary>Start of the candle whose open filled or refused it (UTC); null when no candle followed.</summary>
        public DateTime? Time { get; internal set; }

        /// <summary>Buy or Sell.</summary>
        public string Side { get; internal set; } = string.Empty;

        /// <summary>Base currency amount.</summary>
        public decimal Quantity { get; internal set; }

        /// <summary>The open it filled at (or would have); null when no candle followed.</summary>
        public decimal? Price { get; internal set; }

        /// <summary>In the quote currency; 0 unless filled.</summary>
        public decimal Fee { get; internal set; }

        /// <summary>Filled; Refused (the balance could not pay for it); or Unfilled (placed on the last candle, so nothing could fill it).</summary>
        public string Status { get; internal set; } = string.Empty;

        /// <summary>Why it was refused or not filled; empty when filled.</summary>
        public string Reason { get; internal set; } = string.Empty;
    }
}
