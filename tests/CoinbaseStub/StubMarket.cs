using System;
using System.Globalization;

namespace CoinbaseStub
{
    /// <summary>
    /// The stub's made-up market: candles that are a pure function of their start time, in exact decimals, so tests
    /// can compute what any stored candle must hold. The price zigzags (a 500-candle cycle) with a little jitter; every
    /// <c>gapEvery</c>-th candle is missing, as an interval without trades is at Coinbase.
    /// </summary>
    public static class StubMarket
    {
        public static decimal Price(long index)
        {
            var phase = index % 500;
            var zigzag = phase < 250 ? phase : 500 - phase;
            return 20000m + 4m * zigzag + (index * 7919 % 97) * 0.25m;
        }

        /// <summary>The candle starting at <paramref name="start"/> (Unix seconds) of <paramref name="granularity"/> seconds.</summary>
        public static (decimal Open, decimal High, decimal Low, decimal Close, decimal Volume) Candle(long start, long granularity)
        {
            var index = start / granularity;
            var open = Price(index);
            var close = Price(index + 1);
            return (open, Math.Max(open, close) + (index * 31 % 13) * 0.5m, Math.Min(open, close) - (index * 17 % 11) * 0.5m, close,
                1m + (index * 101 % 1000) / 100m);
        }

        public static bool IsGap(long start, long granularity, int gapEvery) => gapEvery > 0 && start / granularity % gapEvery == gapEvery - 1;

        /// <summary>Coinbase's granularity names, in seconds.</summary>
        public static long? Seconds(string? name) => name switch
        {
            "ONE_MINUTE" => 60,
            "FIVE_MINUTE" => 300,
            "FIFTEEN_MINUTE" => 900,
            "THIRTY_MINUTE" => 1800,
            "ONE_HOUR" => 3600,
            "TWO_HOUR" => 7200,
            "SIX_HOUR" => 21600,
            "ONE_DAY" => 86400,
            _ => null,
        };

        public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
