using System;

namespace CryptoTrader
{
    /// <summary>The current price of a product.</summary>
    public sealed class Ticker
    {
        public string Exchange { get; internal set; } = string.Empty;

        public string Symbol { get; internal set; } = string.Empty;

        public decimal Price { get; internal set; }

        public DateTime Time { get; internal set; }
    }
}
