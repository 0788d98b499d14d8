using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;
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
            _ => throw new CtException(ErrorIds.ExchangeRequestFailed, CtErrorKind.ResourceUnavailable,
                $"Trading on {exchange} is not available in this version; use the paper exchange.", exchange),
        };
    }
}
