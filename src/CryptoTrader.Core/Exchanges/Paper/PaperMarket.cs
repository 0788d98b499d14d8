using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Exchanges.Paper
{
    /// <summary>What the user controls on the paper exchange: prices (which fill crossing limit orders) and account balances.</summary>
    public sealed class PaperMarket
    {
        private readonly CtDatabase database;

        public PaperMarket(CtDatabase database)
        {
            this.database = database;
        }

        /// <summary>Sets a price and fills every open limit order it crosses, at the order's limit; returns those orders.</summary>
        public IReadOnlyList<Order> SetPrice(string symbol, decimal price)
        {
            using var transaction = new CtTransaction(database.Connection);
            var ledger = new PaperLedger(database.Connection, transaction);
            ledger.SetPrice(symbol, price);
            var filled = new List<Order>();
            foreach (var (account, order) in ledger.Orders("symbol = $symbol AND status = 'Open'", ("$symbol", symbol)))
            {
                var crosses = order.Side == "Buy" ? price <= order.LimitPrice!.Value : price >= order.LimitPrice!.Value;
                if (crosses)
                {
                    PaperExchange.SettleOpen(ledger, account, order);
                    filled.Add(order);
                }
            }
            transaction.Commit();
            return filled;
        }

        /// <summary>The symbols the paper exchange knows: those with a price and those of its orders, sorted.</summary>
        public IReadOnlyList<string> Symbols()
        {
            var ledger = new PaperLedger(database.Connection, null);
            return ledger.PricedSymbols().Union(ledger.Orders("1 = 1").Select(o => o.Order.Symbol)).OrderBy(s => s, System.StringComparer.Ordinal).ToList();
        }

        /// <summary>The open orders of a paper account (of every account when <paramref name="account"/> is null).</summary>
        public IReadOnlyList<Order> OpenOrders(string? account) =>
            new PaperLedger(database.Connection, null)
                .Orders("status = 'Open'" + (account is null ? string.Empty : " AND account = $account"), ("$account", account))
                .Select(o => o.Order).ToList();

        /// <summary>Cancels the account's open orders and sets its balances; audited as a configuration change.</summary>
        public AuditRecord ResetAccount(AuditLog audit, string account, IReadOnlyDictionary<string, decimal> balances)
        {
            return audit.Write(transaction =>
            {
                var ledger = new PaperLedger(transaction.Connection, transaction.Transaction);
                ledger.CancelOpenOrders(account);
                ledger.ClearAccount(account);
                foreach (var pair in balances)
                {
                    ledger.SetBalance(account, pair.Key, pair.Value, 0m);
                }
                transaction.Append(AuditEventType.ConfigChanged, new AuditDetails()
                    .Add("setting", "PaperAccount")
                    .Add("exchange", ExchangeCatalog.Paper)
                    .Add("name", account)
                    .Add("new_value", string.Join(",", balances.OrderBy(b => b.Key).Select(b => b.Key + "=" + PaperLedger.Text(b.Value)))));
            })[0];
        }
    }
}
