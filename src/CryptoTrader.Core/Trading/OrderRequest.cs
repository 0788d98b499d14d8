namespace CryptoTrader.Core.Trading
{
    /// <summary>An order to place: a market order without <see cref="LimitPrice"/>, else a good-till-cancelled limit order.</summary>
    public sealed class OrderRequest
    {
        public OrderRequest(string symbol, OrderSide side, decimal quantity, decimal? limitPrice, string clientOrderId, bool clientOrderIdGiven = true)
        {
            ClientOrderIdGiven = clientOrderIdGiven;
            Symbol = symbol;
            Side = side;
            Quantity = quantity;
            LimitPrice = limitPrice;
            ClientOrderId = clientOrderId;
        }

        /// <summary>BASE-QUOTE, upper case, e.g. BTC-USD.</summary>
        public string Symbol { get; }

        public OrderSide Side { get; }

        /// <summary>Base currency amount.</summary>
        public decimal Quantity { get; }

        public decimal? LimitPrice { get; }

        /// <summary>Makes a retried placement idempotent at the exchange.</summary>
        public string ClientOrderId { get; }

        /// <summary>False when the module generated the client order id (then no earlier order can carry it).</summary>
        public bool ClientOrderIdGiven { get; }

        public string OrderType => LimitPrice.HasValue ? "Limit" : "Market";

        public string BaseCurrency => Symbol.Substring(0, Symbol.IndexOf('-'));

        public string QuoteCurrency => Symbol.Substring(Symbol.IndexOf('-') + 1);

        public override string ToString() =>
            $"{Side} {Quantity} {Symbol} " + (LimitPrice.HasValue ? $"limit {LimitPrice} GTC" : "at market") + $" (client order id {ClientOrderId})";
    }
}
