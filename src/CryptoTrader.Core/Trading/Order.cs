using System;

namespace CryptoTrader
{
    /// <summary>An order at an exchange.</summary>
    public sealed class Order
    {
        public string Exchange { get; internal set; } = string.Empty;

        public string Name { get; internal set; } = string.Empty;

        public string OrderId { get; internal set; } = string.Empty;

        public string ClientOrderId { get; internal set; } = string.Empty;

        public string Symbol { get; internal set; } = string.Empty;

        public string Side { get; internal set; } = string.Empty;

        /// <summary>Market or Limit.</summary>
        public string Type { get; internal set; } = string.Empty;

        public decimal Quantity { get; internal set; }

        public decimal? LimitPrice { get; internal set; }

        /// <summary>Open, Filled or Cancelled.</summary>
        public string Status { get; internal set; } = string.Empty;

        public decimal FilledQuantity { get; internal set; }

        public decimal? AveragePrice { get; internal set; }

        public DateTime Created { get; internal set; }
    }
}
