using System;
using System.Collections.Generic;
using System.Globalization;
using CryptoTrader.Core.Audit;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Exchanges.Paper
{
    /// <summary>Row access for the paper exchange's tables; money is decimal, stored as invariant text.</summary>
    internal sealed class PaperLedger
    {
        private readonly SqliteConnection connection;
        private readonly SqliteTransaction? transaction;

        public PaperLedger(SqliteConnection connection, SqliteTransaction? transaction)
        {
            this.connection = connection;
            this.transaction = transaction;
        }

        // Dividing by 1.000... drops trailing zeros that decimal arithmetic keeps (0.000 becomes 0).
        public static string Text(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

        public static decimal Number(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

        public decimal? Price(string symbol)
        {
            var value = Scalar("SELECT price FROM paper_prices WHERE symbol = $symbol;", ("$symbol", symbol)) as string;
            return value is null ? null : Number(value);
        }

        public void SetPrice(string symbol, decimal price) => Execute(
            "INSERT INTO paper_prices (symbol, price, updated) VALUES ($symbol, $price, $updated) " +
            "ON CONFLICT (symbol) DO UPDATE SET price = excluded.price, updated = excluded.updated;",
            ("$symbol", symbol), ("$price", Text(price)), ("$updated", AuditTime.Format(DateTimeOffset.UtcNow)));

        public List<string> PricedSymbols()
        {
            var symbols = new List<string>();
            using var command = Command("SELECT symbol FROM paper_prices ORDER BY symbol;");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                symbols.Add(reader.GetString(0));
            }
            return symbols;
        }

        public DateTime PriceTime(string symbol) =>
            AuditTime.Parse((string)Scalar("SELECT updated FROM paper_prices WHERE symbol = $symbol;", ("$symbol", symbol))!);

        public (decimal Available, decimal Hold) Balance(string account, string currency)
        {
            using var command = Command("SELECT available, hold FROM paper_balances WHERE account = $account AND currency = $currency;",
                ("$account", account), ("$currency", currency));
            using var reader = command.ExecuteReader();
            return reader.Read() ? (Number(reader.GetString(0)), Number(reader.GetString(1))) : (0m, 0m);
        }

        public List<(string Currency, decimal Available, decimal Hold)> Balances(string account)
        {
            var list = new List<(string, decimal, decimal)>();
            using var command = Command("SELECT currency, available, hold FROM paper_balances WHERE account = $account ORDER BY currency;", ("$account", account));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                list.Add((reader.GetString(0), Number(reader.GetString(1)), Number(reader.GetString(2))));
            }
            return list;
        }

        public void SetBalance(string account, string currency, decimal available, decimal hold) => Execute(
            "INSERT INTO paper_balances (account, currency, available, hold) VALUES ($account, $currency, $available, $hold) " +
            "ON CONFLICT (account, currency) DO UPDATE SET available = excluded.available, hold = excluded.hold;",
            ("$account", account), ("$currency", currency), ("$available", Text(available)), ("$hold", Text(hold)));

        public void ClearAccount(string account) => Execute("DELETE FROM paper_balances WHERE account = $account;", ("$account", account));

        public void CancelOpenOrders(string account) =>
            Execute("UPDATE paper_orders SET status = 'Cancelled' WHERE account = $account AND status = 'Open';", ("$account", account));

        public void InsertOrder(string account, Order order) => Execute(
            "INSERT INTO paper_orders (order_id, account, client_order_id, symbol, side, quantity, limit_price, status, filled_quantity, average_price, created) " +
            "VALUES ($id, $account, $client, $symbol, $side, $quantity, $limit, $status, $filled, $average, $created);",
            ("$id", order.OrderId), ("$account", account), ("$client", order.ClientOrderId), ("$symbol", order.Symbol), ("$side", order.Side),
            ("$quantity", Text(order.Quantity)), ("$limit", order.LimitPrice.HasValue ? Text(order.LimitPrice.Value) : null),
            ("$status", order.Status), ("$filled", Text(order.FilledQuantity)), ("$average", order.AveragePrice.HasValue ? Text(order.AveragePrice.Value) : null),
            ("$created", AuditTime.Format(new DateTimeOffset(order.Created, TimeSpan.Zero))));

        public void UpdateOrder(Order order) => Execute(
            "UPDATE paper_orders SET status = $status, filled_quantity = $filled, average_price = $average WHERE order_id = $id;",
            ("$id", order.OrderId), ("$status", order.Status), ("$filled", Text(order.FilledQuantity)),
            ("$average", order.AveragePrice.HasValue ? Text(order.AveragePrice.Value) : null));

        public List<(string Account, Order Order)> Orders(string where, params (string Name, object? Value)[] parameters)
        {
            var list = new List<(string, Order)>();
            using var command = Command(
                "SELECT account, order_id, client_order_id, symbol, side, quantity, limit_price, status, filled_quantity, average_price, created FROM paper_orders WHERE " + where + " ORDER BY created, order_id;",
                parameters);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                list.Add((reader.GetString(0), new Order
                {
                    Exchange = ExchangeCatalog.Paper,
                    Name = reader.GetString(0),
                    OrderId = reader.GetString(1),
                    ClientOrderId = reader.GetString(2),
                    Symbol = reader.GetString(3),
                    Side = reader.GetString(4),
                    Quantity = Number(reader.GetString(5)),
                    LimitPrice = reader.IsDBNull(6) ? null : Number(reader.GetString(6)),
                    Type = reader.IsDBNull(6) ? "Market" : "Limit",
                    Status = reader.GetString(7),
                    FilledQuantity = Number(reader.GetString(8)),
                    AveragePrice = reader.IsDBNull(9) ? null : Number(reader.GetString(9)),
                    Created = AuditTime.Parse(reader.GetString(10)),
                }));
            }
            return list;
        }

        private object? Scalar(string sql, params (string Name, object? Value)[] parameters)
        {
            using var command = Command(sql, parameters);
            return command.ExecuteScalar();
        }

        private void Execute(string sql, params (string Name, object? Value)[] parameters)
        {
            using var command = Command(sql, parameters);
            command.ExecuteNonQuery();
        }

        private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
            return command;
        }
    }
}
