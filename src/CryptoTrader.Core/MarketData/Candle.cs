using System;

namespace CryptoTrader
{
    /// <summary>One candle of a product: prices in the quote currency, volume in the base currency, Start in UTC.</summary>
    public sealed class Candle
    {
        internal Candle(string exchange, string symbol, CandleGranularity granularity, DateTime start, decimal open, decimal high, decimal low, decimal close, decimal volume)
        {
            Exchange = exchange;
            Symbol = symbol;
            Granularity = granularity;
            Start = start;
            Open = open;
            High = high;
            Low = low;
            Close = close;
            Volume = volume;
        }

        public string Exchange { get; }

        public string Symbol { get; }

        public CandleGranularity Granularity { get; }

        /// <summary>When the candle's interval begins (UTC); it lasts one <see cref="Granularity"/>.</summary>
        public DateTime Start { get; }

        public decimal Open { get; }

        public decimal High { get; }

        public decimal Low { get; }

        public decimal Close { get; }

        public decimal Volume { get; }
    }
}
