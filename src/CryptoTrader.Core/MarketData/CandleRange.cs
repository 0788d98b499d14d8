namespace CryptoTrader.Core.MarketData
{
    /// <summary>A span of time in whole Unix seconds: <see cref="Start"/> inclusive, <see cref="End"/> exclusive.</summary>
    internal readonly struct CandleRange
    {
        public CandleRange(long start, long end)
        {
            Start = start;
            End = end;
        }

        public long Start { get; }

        public long End { get; }

        public bool IsEmpty => End <= Start;

        public override string ToString() => $"[{CandleTime.FromUnixSeconds(Start):yyyy-MM-ddTHH:mm:ssZ}, {CandleTime.FromUnixSeconds(End):yyyy-MM-ddTHH:mm:ssZ})";
    }
}
