using System;
using System.Text.RegularExpressions;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Trading
{
    /// <summary>Builds a checked <see cref="OrderRequest"/> from user input.</summary>
    public static class OrderValidation
    {
        /// <summary>The longest order id an exchange answer or a user may give (Coinbase's are UUIDs, the paper exchange's 38 characters).</summary>
        public const int MaxOrderIdLength = 128;

        private static readonly Regex Symbol = new Regex(@"^[A-Z0-9]{2,10}-[A-Z0-9]{2,10}\z", RegexOptions.CultureInvariant);
        private static readonly Regex ClientId = new Regex(@"^[A-Za-z0-9._:-]{1,64}\z", RegexOptions.CultureInvariant);
        private static readonly Regex Currency = new Regex(@"^[A-Z0-9]{2,10}\z", RegexOptions.CultureInvariant);

        /// <summary>Whether <paramref name="currency"/> is a currency code as symbols use them (USD, BTC, EUR, USDC, ...).</summary>
        public static bool IsCurrency(string? currency) => currency != null && Currency.IsMatch(currency);

        public static string NormalizeSymbol(string? symbol)
        {
            var upper = (symbol ?? string.Empty).Trim().ToUpperInvariant();
            if (Validation.UserText.FirstInvisible(symbol) != null || !Symbol.IsMatch(upper))
            {
                throw Invalid("Symbol", "A symbol is BASE-QUOTE in letters and digits, for example BTC-USD.");
            }
            return upper;
        }

        /// <summary>An exchange's order id as the user passed it: 1 to 128 characters, no control or invisible character.</summary>
        public static string RequireOrderId(string? orderId)
        {
            var invisible = Validation.UserText.FirstInvisible(orderId);
            if (string.IsNullOrWhiteSpace(orderId) || orderId!.Length > MaxOrderIdLength || invisible != null)
            {
                throw Invalid("OrderId", $"An order id has 1 to {MaxOrderIdLength} characters and no control or invisible character" +
                    (invisible is null ? "." : $" (found {invisible}).") + " Copy it from Get-CtOrder or a TRADE_EXECUTED record's order_id.");
            }
            return orderId;
        }

        public static OrderRequest Create(string symbol, OrderSide side, decimal quantity, decimal? limitPrice, string? clientOrderId)
        {
            var normalized = NormalizeSymbol(symbol);
            if (quantity <= 0m)
            {
                throw Invalid("Quantity", "The quantity must be greater than zero.");
            }
            if (limitPrice.HasValue && limitPrice.Value <= 0m)
            {
                throw Invalid("LimitPrice", "The limit price must be greater than zero.");
            }
            if (clientOrderId != null && !ClientId.IsMatch(clientOrderId))
            {
                throw Invalid("ClientOrderId", "A client order id has 1 to 64 letters, digits, '.', '_', ':' or '-'.");
            }
            return new OrderRequest(normalized, side, Canonical(quantity), limitPrice.HasValue ? Canonical(limitPrice.Value) : null,
                clientOrderId ?? "ct-" + Guid.NewGuid().ToString("N"), clientOrderIdGiven: clientOrderId != null);
        }

        // 0.010 and 0.01 are the same amount: drop trailing zeros so records and retries compare equal.
        internal static decimal Canonical(decimal value) => value / 1.000000000000000000000000000000000m;

        private static CtException Invalid(string parameter, string message) =>
            new CtException(ErrorIds.InvalidOrder, CtErrorKind.InvalidArgument, message, parameter);
    }
}
