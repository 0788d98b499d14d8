using System;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Trading
{
    /// <summary>
    /// What an order can cost at worst, in the currency a grant's limit is set in: its quantity times the higher of its
    /// limit price and the market price, buy or sell (a sell limit far below the market still fills at the market, so
    /// the base currency it gives away is worth the market price), converted at the market price of QUOTE-CURRENCY.
    /// </summary>
    internal static class OrderValuation
    {
        /// <param name="marketPrice">The exchange's current price of a symbol, or null when it has none.</param>
        /// <exception cref="GateRejection">OrderValueUnknown: a price the valuation needs is missing.</exception>
        public static decimal WorstCase(OrderRequest order, string currency, Func<string, decimal?> marketPrice)
        {
            var market = marketPrice(order.Symbol) ?? throw Unknown(order, order.Symbol, currency);
            var price = order.LimitPrice.HasValue ? Math.Max(order.LimitPrice.Value, market) : market;
            var value = order.Quantity * price;
            if (string.Equals(order.QuoteCurrency, currency, StringComparison.Ordinal))
            {
                return value;
            }
            var conversion = order.QuoteCurrency + "-" + currency;
            var rate = marketPrice(conversion) ?? throw Unknown(order, conversion, currency);
            return value * rate;
        }

        private static GateRejection Unknown(OrderRequest order, string symbol, string currency) => new GateRejection(ErrorIds.OrderValueUnknown,
            $"The order cannot be valued in {currency}, the currency of the grant's -MaxOrderValue: the exchange has no price for {symbol}. " +
            $"Nothing was sent. Trade a symbol quoted in {currency}, or grant again with -ValueCurrency {order.QuoteCurrency}.");
    }
}
