using System;
using System.Collections.Generic;

namespace CryptoTrader.Core.MarketData
{
    /// <summary>Which parts of a wanted range a sync still has to fetch, cut into pages one request each.</summary>
    internal static class CandleRangePlanner
    {
        /// <summary>Coinbase's limit: at most 350 candles a request (more is HTTP 400).</summary>
        public const int MaxCandlesPerRequest = 350;

        /// <summary>The parts of <paramref name="wanted"/> that no range in <paramref name="covered"/> (sorted by start, disjoint) covers, in order.</summary>
        public static List<CandleRange> Missing(CandleRange wanted, IEnumerable<CandleRange> covered)
        {
            var missing = new List<CandleRange>();
            var next = wanted.Start;
            foreach (var range in covered)
            {
                if (range.End <= next)
                {
                    continue;
                }
                if (range.Start >= wanted.End)
                {
                    break;
                }
                if (range.Start > next)
                {
                    missing.Add(new CandleRange(next, range.Start));
                }
                next = range.End;
            }
            if (next < wanted.End)
            {
                missing.Add(new CandleRange(next, wanted.End));
            }
            return missing;
        }

        /// <summary><paramref name="range"/> (aligned to <paramref name="step"/>) as consecutive pages of at most <paramref name="maxCandles"/> candles.</summary>
        public static List<CandleRange> Pages(CandleRange range, long step, int maxCandles = MaxCandlesPerRequest)
        {
            if (range.Start % step != 0 || range.End % step != 0)
            {
                throw new ArgumentException($"The range {range} is not aligned to {step} s candles.", nameof(range));
            }
            var pages = new List<CandleRange>();
            for (var start = range.Start; start < range.End; start += maxCandles * step)
            {
                pages.Add(new CandleRange(start, Math.Min(range.End, start + maxCandles * step)));
            }
            return pages;
        }
    }
}
