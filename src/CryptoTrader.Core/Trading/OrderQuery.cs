using System;
using System.Collections.Generic;
using System.Linq;

namespace CryptoTrader.Core.Trading
{
    /// <summary>Which orders of a credential to list: one by id, and only those with one of the statuses and symbols given.</summary>
    public sealed class OrderQuery
    {
        private readonly string[]? statuses;
        private readonly string[]? symbols;

        public OrderQuery(string? orderId = null, IEnumerable<string>? statuses = null, IEnumerable<string>? symbols = null)
        {
            OrderId = string.IsNullOrWhiteSpace(orderId) ? null : OrderValidation.RequireOrderId(orderId!);
            this.statuses = statuses?.Select(OrderStatus.Normalize).ToArray();
            this.symbols = symbols?.Select(OrderValidation.NormalizeSymbol).ToArray();
        }

        public string? OrderId { get; }

        public bool Matches(Order order) =>
            (OrderId is null || order.OrderId == OrderId)
            && (statuses is null || statuses.Contains(order.Status))
            && (symbols is null || symbols.Contains(order.Symbol));
    }
}
