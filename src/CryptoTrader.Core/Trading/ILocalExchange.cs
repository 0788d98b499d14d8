using CryptoTrader.Core.Credentials;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Trading
{
    /// <summary>
    /// An exchange that lives in the module's own database (the paper exchange): its fill can commit in the
    /// same transaction as the TRADE_EXECUTED record, one durable write instead of two.
    /// </summary>
    internal interface ILocalExchange
    {
        Order PlaceOrder(SqliteTransaction transaction, ApiCredential credential, OrderRequest request);
    }
}
