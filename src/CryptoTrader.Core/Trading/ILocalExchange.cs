using CryptoTrader.Core.Credentials;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Trading
{
    /// <summary>
    /// An exchange that lives in the module's own database (the paper exchange): its prices are read and its fill
    /// commits in the transaction that checks and records the order, one durable write instead of two.
    /// </summary>
    internal interface ILocalExchange
    {
        decimal? Price(SqliteTransaction transaction, string symbol);

        Order PlaceOrder(SqliteTransaction transaction, ApiCredential credential, OrderRequest request);
    }
}
