using System;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.Exchanges.Coinbase;
using CryptoTrader.Core.Exchanges.Paper;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Trading
{
    /// <summary>Creates the adapter for an exchange. Internal, like the adapters: only the trading service holds one.</summary>
    internal static class ExchangeAdapters
    {
        public static IExchangeAdapter Create(string exchange, CtDatabase database) => exchange switch
        {
            ExchangeCatalog.Paper => new PaperExchange(database),
            ExchangeCatalog.Coinbase => CreateCoinbase(database),
            _ => throw new CtException(ErrorIds.ExchangeRequestFailed, CtErrorKind.ResourceUnavailable,
                $"Trading on {exchange} is not available in this version.", exchange),
        };

        /// <summary>The Coinbase adapter for the configured base URL (checked again here: a URL that is not https:// is never used).</summary>
        public static CoinbaseAdapter CreateCoinbase(CtDatabase database)
        {
            var settings = CtSettings.Read(new SettingsStore(database));
            return new CoinbaseAdapter(new CoinbaseHttp(CoinbaseEndpoint.Parse(settings.EffectiveCoinbaseBaseUrl)));
        }
    }
}
