using System.Collections.Generic;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.MarketData;

namespace CryptoTrader.Core.Trading
{
    /// <summary>
    /// One exchange's API. Internal: nothing outside the core can reach an adapter except through
    /// <see cref="TradingService"/>, which asks the permission gate first.
    /// </summary>
    internal interface IExchangeAdapter
    {
        IReadOnlyList<Balance> GetBalances(ApiCredential credential);

        Ticker GetTicker(ApiCredential credential, string symbol);

        IReadOnlyList<Order> GetOrders(ApiCredential credential, string? orderId);

        /// <summary>Places the order, or returns the existing one when the client order id was used before.</summary>
        Order PlaceOrder(ApiCredential credential, OrderRequest request);

        Order CancelOrder(ApiCredential credential, string orderId);

        /// <summary>What the order would do; places nothing.</summary>
        OrderPreview PreviewOrder(ApiCredential credential, OrderRequest request);

        /// <summary>One page of candles (at most <see cref="CandleRangePlanner.MaxCandlesPerRequest"/>) starting in <paramref name="page"/>, oldest first.</summary>
        IReadOnlyList<Candle> GetCandles(ApiCredential credential, string symbol, CandleGranularity granularity, CandleRange page);
    }
}
