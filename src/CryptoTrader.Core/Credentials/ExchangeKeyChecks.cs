using System;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.Exchanges.Coinbase;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Trading;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>Per-exchange checks of key material before it is stored.</summary>
    internal static class ExchangeKeyChecks
    {
        /// <summary>
        /// Throws when the key material cannot work with the exchange. For Coinbase: the secret must be an EC P-256
        /// private key, and the exchange is asked (GET key_permissions) what the key may do. Null for exchanges that
        /// have nothing to ask (paper).
        /// </summary>
        public static KeyCapabilities? Inspect(CtDatabase database, string exchange, string name, string apiKey, char[] secret)
        {
            if (exchange != ExchangeCatalog.Coinbase)
            {
                return null;
            }
            CoinbaseKey.Validate(secret);
            var adapter = ExchangeAdapters.CreateCoinbase(database);
            using var probe = new ApiCredential(exchange, name, apiKey, (char[])secret.Clone());
            try
            {
                return adapter.GetKeyPermissions(probe);
            }
            catch (ExchangeException e)
            {
                throw new CtException(e.Kind == CtErrorKind.AuthenticationError ? ErrorIds.ExchangeAuthenticationFailed : ErrorIds.ExchangeRequestFailed,
                    e.Kind == CtErrorKind.InvalidOperation ? CtErrorKind.ResourceUnavailable : e.Kind,
                    "The key was not stored: CryptoTrader asks Coinbase what a key may do before storing it, and that failed. " + e.Message,
                    exchange + "/" + name, e);
            }
        }
    }
}
