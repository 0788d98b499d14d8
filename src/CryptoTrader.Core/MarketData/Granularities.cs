using System;

namespace CryptoTrader.Core.MarketData
{
    /// <summary>What a <see cref="CandleGranularity"/> means in seconds, and how Coinbase names it.</summary>
    public static class Granularities
    {
        /// <summary>The candle's length. Every length divides a day, so candles start at whole multiples of it since the Unix epoch.</summary>
        public static long Seconds(this CandleGranularity granularity) => granularity switch
        {
            CandleGranularity.OneMinute => 60,
            CandleGranularity.FiveMinute => 5 * 60,
            CandleGranularity.FifteenMinute => 15 * 60,
            CandleGranularity.ThirtyMinute => 30 * 60,
            CandleGranularity.OneHour => 60 * 60,
            CandleGranularity.TwoHour => 2 * 60 * 60,
            CandleGranularity.SixHour => 6 * 60 * 60,
            CandleGranularity.OneDay => 24 * 60 * 60,
            _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "Not a candle granularity."),
        };

        /// <summary>The granularity whose candles last <paramref name="seconds"/>; the stored form.</summary>
        public static CandleGranularity FromSeconds(long seconds)
        {
            foreach (CandleGranularity granularity in Enum.GetValues(typeof(CandleGranularity)))
            {
                if (granularity.Seconds() == seconds)
                {
                    return granularity;
                }
            }
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "No candle granularity lasts this many seconds.");
        }

        /// <summary>The Advanced Trade name: ONE_MINUTE, FIVE_MINUTE, ... ONE_DAY.</summary>
        internal static string CoinbaseName(this CandleGranularity granularity) => granularity switch
        {
            CandleGranularity.OneMinute => "ONE_MINUTE",
            CandleGranularity.FiveMinute => "FIVE_MINUTE",
            CandleGranularity.FifteenMinute => "FIFTEEN_MINUTE",
            CandleGranularity.ThirtyMinute => "THIRTY_MINUTE",
            CandleGranularity.OneHour => "ONE_HOUR",
            CandleGranularity.TwoHour => "TWO_HOUR",
            CandleGranularity.SixHour => "SIX_HOUR",
            CandleGranularity.OneDay => "ONE_DAY",
            _ => throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "Not a candle granularity."),
        };
    }
}
