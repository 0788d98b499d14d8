using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Exchanges
{
    /// <summary>The exchanges the module knows. Names are case-insensitive; the canonical form is lower case.</summary>
    public static class ExchangeCatalog
    {
        public const string Paper = "paper";
        public const string Coinbase = "coinbase";

        public static IReadOnlyList<string> Names { get; } = new[] { Paper, Coinbase };

        /// <summary>The canonical name, or an UnknownExchange error that lists the valid names.</summary>
        public static string Normalize(string? name)
        {
            var trimmed = name?.Trim() ?? string.Empty;
            var known = Names.FirstOrDefault(n => string.Equals(n, trimmed, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                throw new CtException(ErrorIds.UnknownExchange, CtErrorKind.InvalidArgument,
                    $"'{Printable(trimmed)}' is not a known exchange. Valid names: {string.Join(", ", Names)}.", trimmed);
            }
            return known;
        }

        // Shows what the user typed without letting control characters into the message.
        private static string Printable(string text)
        {
            var chars = text.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray();
            return new string(chars);
        }
    }
}
