using System;
using CryptoTrader.Core.Errors;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.MarketData;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Trading;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Exchanges.Paper
{
    /// <summary>
    /// The embedded exchange: balances, orders and fills in the module's database, one account per credential
    /// name, prices set by the user. Market orders fill at the current price; a limit order fills at once when
    /// marketable, otherwise it holds its funds and waits for the price to cross (<see cref="PaperMarket"/>).
    /// No fees.
    /// </summary>
    internal sealed class PaperExchange : IExchangeAdapter, ILocalExchange
    {
        private readonly CtDatabase database;

        public PaperExchange(CtDatabase database)
        {
            this.database = database;
        }

        public IReadOnlyList<Balance> GetBalances(ApiCredential credential) =>
            new PaperLedger(database.Connection, null).Balances(credential.Name)
                .Select(b => new Balance { Exchange = ExchangeCatalog.Paper, Name = credential.Name, Currency = b.Currency, Available = b.Available, Hold = b.Hold })
                .ToList();

        public Ticker GetTicker(ApiCredential credential, string symbol)
        {
            var ledger = new PaperLedger(database.Connection, null);
            var price = ledger.Price(symbol) ?? throw UnknownSymbol(symbol);
            return new Ticker { Exchange = ExchangeCatalog.Paper, Symbol = symbol, Price = price, Time = ledger.PriceTime(symbol) };
        }

        public IReadOnlyList<Order> GetOrders(ApiCredential credential, string? orderId)
        {
            var ledger = new PaperLedger(database.Connection, null);
            var orders = orderId is null
                ? ledger.Orders("account = $account", ("$account", credential.Name))
                : ledger.Orders("account = $account AND order_id = $id", ("$account", credential.Name), ("$id", orderId));
            return orders.Select(o => o.Order).ToList();
        }

        public decimal? Price(SqliteTransaction transaction, string symbol) => new PaperLedger(database.Connection, transaction).Price(symbol);

        public Order PlaceOrder(ApiCredential credential, OrderRequest request)
        {
            using var transaction = new CtTransaction(database.Connection);
            var order = PlaceOrder(transaction, credential, request);
            transaction.Commit();
            return order;
        }

        public Order PlaceOrder(SqliteTransaction transaction, ApiCredential credential, OrderRequest request)
        {
            var ledger = new PaperLedger(database.Connection, transaction);
            var existing = ledger.Orders("account = $account AND client_order_id = $client", ("$account", credential.Name), ("$client", request.ClientOrderId));
            if (existing.Count > 0)
            {
                return existing[0].Order;
            }
            var price = ledger.Price(request.Symbol) ?? throw UnknownSymbol(request.Symbol);
            var order = new Order
            {
                Exchange = ExchangeCatalog.Paper,
                Name = credential.Name,
                OrderId = "paper-" + Guid.NewGuid().ToString("N"),
                ClientOrderId = request.ClientOrderId,
                Symbol = request.Symbol,
                Side = request.Side.ToString(),
                Type = request.OrderType,
                Quantity = request.Quantity,
                LimitPrice = request.LimitPrice,
                Created = TruncatedNow(),
            };
            if (IsMarketable(request, price))
            {
                Fill(ledger, credential.Name, request, price);
                order.Status = OrderStatus.Filled;
                order.FilledQuantity = request.Quantity;
                order.AveragePrice = price;
            }
            else
            {
                Reserve(ledger, credential.Name, request);
                order.Status = OrderStatus.Open;
            }
            ledger.InsertOrder(credential.Name, order);
            return order;
        }

        public Order CancelOrder(ApiCredential credential, string orderId)
        {
            using var transaction = new CtTransaction(database.Connection);
            var ledger = new PaperLedger(database.Connection, transaction);
            var found = ledger.Orders("account = $account AND order_id = $id", ("$account", credential.Name), ("$id", orderId));
            if (found.Count == 0)
            {
                throw new ExchangeException(ErrorIds.OrderNotFound, $"The paper exchange has no order '{orderId}' for '{credential.Name}'.");
            }
            var order = found[0].Order;
            if (order.Status != OrderStatus.Open)
            {
                throw new ExchangeException(ErrorIds.OrderNotOpen, $"Order '{orderId}' is {order.Status} and cannot be cancelled.");
            }
            Release(ledger, credential.Name, order);
            order.Status = OrderStatus.Cancelled;
            ledger.UpdateOrder(order);
            transaction.Commit();
            return order;
        }

        public OrderPreview PreviewOrder(ApiCredential credential, OrderRequest request)
        {
            var ledger = new PaperLedger(database.Connection, null);
            var price = ledger.Price(request.Symbol) ?? throw UnknownSymbol(request.Symbol);
            return new OrderPreview(ExchangeCatalog.Paper, credential.Name, request)
            {
                OrderTotal = request.Quantity * (request.LimitPrice ?? price),
                CommissionTotal = 0m,
                BestBid = price,
                BestAsk = price,
            };
        }

        /// <summary>The paper exchange has no market history: it only knows the prices set with Set-CtPaperPrice.</summary>
        public IReadOnlyList<Candle> GetCandles(ApiCredential credential, string symbol, CandleGranularity granularity, CandleRange page) =>
            throw MarketDataSync.NoHistory(ExchangeCatalog.Paper);

        internal static bool IsMarketable(OrderRequest request, decimal price) =>
            !request.LimitPrice.HasValue
            || (request.Side == OrderSide.Buy ? request.LimitPrice.Value >= price : request.LimitPrice.Value <= price);

        private static void Fill(PaperLedger ledger, string account, OrderRequest request, decimal price)
        {
            var cost = request.Quantity * price;
            if (request.Side == OrderSide.Buy)
            {
                Move(ledger, account, request.QuoteCurrency, -cost, 0m);
                Move(ledger, account, request.BaseCurrency, request.Quantity, 0m);
            }
            else
            {
                Move(ledger, account, request.BaseCurrency, -request.Quantity, 0m);
                Move(ledger, account, request.QuoteCurrency, cost, 0m);
            }
        }

        private static void Reserve(PaperLedger ledger, string account, OrderRequest request)
        {
            if (request.Side == OrderSide.Buy)
            {
                var amount = request.Quantity * request.LimitPrice!.Value;
                Move(ledger, account, request.QuoteCurrency, -amount, amount);
            }
            else
            {
                Move(ledger, account, request.BaseCurrency, -request.Quantity, request.Quantity);
            }
        }

        internal static void Release(PaperLedger ledger, string account, Order order)
        {
            var (baseCurrency, quoteCurrency) = Split(order.Symbol);
            if (order.Side == nameof(OrderSide.Buy))
            {
                var amount = order.Quantity * order.LimitPrice!.Value;
                Move(ledger, account, quoteCurrency, amount, -amount);
            }
            else
            {
                Move(ledger, account, baseCurrency, order.Quantity, -order.Quantity);
            }
        }

        /// <summary>Settles an open limit order at its limit price out of the funds it holds.</summary>
        internal static void SettleOpen(PaperLedger ledger, string account, Order order)
        {
            var (baseCurrency, quoteCurrency) = Split(order.Symbol);
            var limit = order.LimitPrice!.Value;
            if (order.Side == nameof(OrderSide.Buy))
            {
                Move(ledger, account, quoteCurrency, 0m, -(order.Quantity * limit));
                Move(ledger, account, baseCurrency, order.Quantity, 0m);
            }
            else
            {
                Move(ledger, account, baseCurrency, 0m, -order.Quantity);
                Move(ledger, account, quoteCurrency, order.Quantity * limit, 0m);
            }
            order.Status = OrderStatus.Filled;
            order.FilledQuantity = order.Quantity;
            order.AveragePrice = limit;
            ledger.UpdateOrder(order);
        }

        private static void Move(PaperLedger ledger, string account, string currency, decimal availableChange, decimal holdChange)
        {
            var (available, hold) = ledger.Balance(account, currency);
            if (available + availableChange < 0m)
            {
                throw new ExchangeException(ErrorIds.InsufficientFunds,
                    $"Insufficient funds: the paper account '{account}' has {available} {currency} available and the order needs {-availableChange}.");
            }
            ledger.SetBalance(account, currency, available + availableChange, hold + holdChange);
        }

        private static (string Base, string Quote) Split(string symbol)
        {
            var dash = symbol.IndexOf('-');
            return (symbol.Substring(0, dash), symbol.Substring(dash + 1));
        }

        private static ExchangeException UnknownSymbol(string symbol) =>
            new ExchangeException(ErrorIds.UnknownSymbol, $"The paper exchange has no price for {symbol}: set one with Set-CtPaperPrice -Symbol {symbol} -Price <price>.");

        private static DateTime TruncatedNow() => AuditTime.Parse(AuditTime.Format(DateTimeOffset.UtcNow));
    }
}
