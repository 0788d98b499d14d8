using System;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Exchanges.Coinbase
{
    /// <summary>The Advanced Trade base URL: configurable (for tests), but only ever https://.</summary>
    public static class CoinbaseEndpoint
    {
        public const string DefaultBaseUrl = "https://api.coinbase.com/api/v3/brokerage";

        /// <summary>The URL without a trailing slash, or an InvalidSetting error when it is not an absolute https:// URL without query, fragment or user info.</summary>
        public static Uri Parse(string? value)
        {
            var text = (value ?? string.Empty).Trim();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw Invalid("The Coinbase base URL must be an absolute https:// URL, for example " + DefaultBaseUrl + ".");
            }
            if (uri.Scheme != Uri.UriSchemeHttps)
            {
                throw Invalid("The Coinbase base URL must use https://: CryptoTrader never sends keys or orders over plain http.");
            }
            if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                throw Invalid("The Coinbase base URL must not contain user info, a query or a fragment.");
            }
            return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        }

        private static CtException Invalid(string message) =>
            new CtException(ErrorIds.InvalidSetting, CtErrorKind.InvalidArgument, message, "CoinbaseBaseUrl");
    }
}
