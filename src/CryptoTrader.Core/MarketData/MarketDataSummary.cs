using System;

namespace CryptoTrader
{
    /// <summary>What a sync or an import did to one stored series of candles (exchange, symbol, granularity).</summary>
    public sealed class MarketDataSummary
    {
        public string Exchange { get; internal set; } = string.Empty;

        public string Symbol { get; internal set; } = string.Empty;

        public CandleGranularity Granularity { get; internal set; }

        /// <summary>Candles stored by this run that were not stored before.</summary>
        public int Added { get; internal set; }

        /// <summary>Candles of the series stored now, over all time.</summary>
        public int Total { get; internal set; }

        /// <summary>Start of the series' first stored candle (UTC); null when none is stored.</summary>
        public DateTime? First { get; internal set; }

        /// <summary>Start of the series' last stored candle (UTC); null when none is stored.</summary>
        public DateTime? Last { get; internal set; }
    }
}
