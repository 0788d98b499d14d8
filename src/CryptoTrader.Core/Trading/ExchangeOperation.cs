namespace CryptoTrader.Core.Trading
{
    /// <summary>Every request an adapter can make. The gate treats reads and trades differently.</summary>
    public enum ExchangeOperation
    {
        GetBalances,
        GetTicker,
        GetOrders,
        PreviewOrder,
        PlaceOrder,
        CancelOrder,

        /// <summary>Market data for Sync-CtMarketData: a read (a stored credential, no grant).</summary>
        GetCandles,
    }
}
