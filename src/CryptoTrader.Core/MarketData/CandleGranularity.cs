namespace CryptoTrader
{
    /// <summary>How long one candle lasts: the granularities Coinbase Advanced Trade serves.</summary>
    public enum CandleGranularity
    {
        OneMinute,
        FiveMinute,
        FifteenMinute,
        ThirtyMinute,
        OneHour,
        TwoHour,
        SixHour,
        OneDay,
    }
}
