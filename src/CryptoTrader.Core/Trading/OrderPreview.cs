namespace CryptoTrader
{
    /// <summary>What the exchange says an order would do (Coinbase: POST orders/preview); nothing is placed.</summary>
    public sealed class OrderPreview
    {
        /// <summary>A preview of <paramref name="request"/>; the adapter adds what the exchange answered.</summary>
        internal OrderPreview(string exchange, string name, CryptoTrader.Core.Trading.OrderRequest request)
        {
            Exchange = exchange;
            Name = name;
            Symbol = request.Symbol;
            Side = request.Side.ToString();
            Type = request.OrderType;
            Quantity = request.Quantity;
            LimitPrice = request.LimitPrice;
        }

        public string Exchange { get; internal set; } = string.Empty;

        public string Name { get; internal set; } = string.Empty;

        public string Symbol { get; internal set; } = string.Empty;

        public string Side { get; internal set; } = string.Empty;

        public string Type { get; internal set; } = string.Empty;

        public decimal Quantity { get; internal set; }

        public decimal? LimitPrice { get; internal set; }

        /// <summary>Total cost or proceeds in the quote currency, commission included.</summary>
        public decimal? OrderTotal { get; internal set; }

        public decimal? CommissionTotal { get; internal set; }

        public decimal? BestBid { get; internal set; }

        public decimal? BestAsk { get; internal set; }

        /// <summary>Why the exchange would refuse the order; empty when it would accept it.</summary>
        public string[] Errors { get; internal set; } = System.Array.Empty<string>();

        public string[] Warnings { get; internal set; } = System.Array.Empty<string>();
    }
}
