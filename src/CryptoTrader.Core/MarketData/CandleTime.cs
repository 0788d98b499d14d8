using System;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.MarketData
{
    /// <summary>Candle times: UTC, whole Unix seconds, aligned to the granularity.</summary>
    public static class CandleTime
    {
        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        /// <summary>A time the user gave, in UTC: a UTC time as it is, a local one converted, one without a zone taken as UTC.</summary>
        public static DateTime ToUtc(DateTime value) => value.Kind switch
        {
            DateTimeKind.Utc => value,
            DateTimeKind.Local => value.ToUniversalTime(),
            _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        };

        public static long ToUnixSeconds(DateTime value) => FloorDivide(ToUtc(value).Ticks - Epoch.Ticks, TimeSpan.TicksPerSecond);

        public static DateTime FromUnixSeconds(long seconds) => new DateTime(Epoch.Ticks + seconds * TimeSpan.TicksPerSecond, DateTimeKind.Utc);

        /// <summary>The start of the candle that contains <paramref name="seconds"/>.</summary>
        public static long AlignDown(long seconds, long step) => FloorDivide(seconds, step) * step;

        /// <summary>The first candle start at or after <paramref name="seconds"/>.</summary>
        public static long AlignUp(long seconds, long step) => -FloorDivide(-seconds, step) * step;

        /// <summary>
        /// The candles a -Start/-End pair asks for: from the candle that contains Start up to (not including) End,
        /// rounded up to a whole candle. Start must come before End (InvalidTimeRange).
        /// </summary>
        internal static CandleRange Range(DateTime start, DateTime end, CandleGranularity granularity)
        {
            RequireOrder(start, end);
            var step = granularity.Seconds();
            return new CandleRange(AlignDown(ToUnixSeconds(start), step), AlignUp(ToUnixSeconds(end), step));
        }

        /// <summary>An InvalidTimeRange error unless <paramref name="start"/> comes before <paramref name="end"/> (by whole seconds).</summary>
        public static void RequireOrder(DateTime start, DateTime end)
        {
            if (ToUnixSeconds(start) >= ToUnixSeconds(end))
            {
                throw new CtException(ErrorIds.InvalidTimeRange, CtErrorKind.InvalidArgument,
                    $"-Start ({ToUtc(start):u}) must come before -End ({ToUtc(end):u}).", "Start");
            }
        }

        private static long FloorDivide(long value, long divisor)
        {
            var quotient = value / divisor;
            return value % divisor < 0 ? quotient - 1 : quotient;
        }
    }
}
