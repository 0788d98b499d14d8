using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Trading;

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

        /// <summary>
        /// Sets a price and fills every open limit order it crosses, at the order's limit. Each fill is a TRADE_EXECUTED
        /// record written in the same transaction, whoever placed the order and whatever its grant says now: the order
        /// was checked when it was placed, and revoking a grant cancels the credential's open orders.
        /// </summary>
        /// <returns>The fills' records (none when no order crossed).</returns>
        public IReadOnlyList<AuditRecord> SetPrice(AuditLog audit, string symbol, decimal price)
        {
            return audit.Write(transaction =>
            {
                var ledger = new PaperLedger(transaction.Connection, transaction.Transaction);
                ledger.SetPrice(symbol, price);
                foreach (var (account, order) in ledger.Orders("symbol = $symbol AND status = 'Open'", ("$symbol", symbol)))
                {
                    var crosses = order.Side == "Buy" ? price <= order.LimitPrice!.Value : price >= order.LimitPrice!.Value;
                    if (crosses)
                    {
                        PaperExchange.SettleOpen(ledger, account, order);
                        transaction.Append(AuditEventType.TradeExecuted, new AuditDetails()
                            .Add("exchange", ExchangeCatalog.Paper)
                            .Add("name", account)
                            .Add("symbol", order.Symbol)
                            .Add("side", order.Side)
                            .Add("type", order.Type)
                            .Add("quantity", order.Quantity)
                            .Add("limit_price", order.LimitPrice?.ToString(CultureInfo.InvariantCulture))
                            .Add("client_order_id", order.ClientOrderId)
                            .Add("order_id", order.OrderId)
                            .Add("status", order.Status)
                            .Add("filled_quantity", order.FilledQuantity)
                            .Add("average_price", order.AveragePrice?.ToString(CultureInfo.InvariantCulture))
                            .Add("trigger", "price " + PaperLedger.Text(price)));
                    }
                }
            });
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
            foreach (var currency in balances.Keys)
            {
                if (!OrderValidation.IsCurrency(currency))
                {
                    throw new Errors.CtException(Errors.ErrorIds.InvalidOrder, Errors.CtErrorKind.InvalidArgument,
                        "Each balance is a currency code (2 to 10 upper-case letters or digits) and a non-negative amount, for example @{ USD = 10000; BTC = 0.5 }.", "Balance");
                }
            }
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
