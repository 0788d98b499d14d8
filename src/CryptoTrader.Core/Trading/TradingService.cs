using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Trading
{
    /// <summary>
    /// Every exchange request: the permission gate first, then (for trades) a durable TRADE_REQUESTED record,
    /// then the adapter, then TRADE_EXECUTED or TRADE_FAILED. Anything unexpected inside the gate rejects the
    /// request (fail closed); if an audit record cannot be written, nothing is sent.
    /// </summary>
    public sealed class TradingService
    {
        private readonly CtDatabase database;
        private readonly AuditLog audit;
        private readonly PermissionGate gate;

        public TradingService(CtDatabase database, AuditLog audit, KeyRing ring)
        {
            this.database = database;
            this.audit = audit;
            gate = new PermissionGate(database, audit, ring);
        }

        public IReadOnlyList<Balance> GetBalances(string exchange, string name) =>
            Read(ExchangeOperation.GetBalances, exchange, name, (adapter, credential) => adapter.GetBalances(credential));

        public Ticker GetTicker(string exchange, string name, string symbol) =>
            Read(ExchangeOperation.GetTicker, exchange, name, (adapter, credential) => adapter.GetTicker(credential, symbol));

        public IReadOnlyList<Order> GetOrders(string exchange, string name, string? orderId) =>
            Read(ExchangeOperation.GetOrders, exchange, name, (adapter, credential) => adapter.GetOrders(credential, orderId));

        /// <summary>What the exchange says the order would do (Invoke-CtTrade -WhatIf); a read: no grant needed, nothing placed.</summary>
        public OrderPreview PreviewOrder(string exchange, string name, OrderRequest request) =>
            Read(ExchangeOperation.PreviewOrder, exchange, name, (adapter, credential) => adapter.PreviewOrder(credential, request));

        public IReadOnlyList<AuditRecord> PlaceOrder(string exchange, string name, OrderRequest request)
        {
            var earlier = FindEarlierOutcome(exchange, name, request.ClientOrderId);
            if (earlier.Count > 0)
            {
                return earlier;
            }
            var adapter = ExchangeAdapters.Create(exchange, database);
            var details = Describe(exchange, name, request);
            ApiCredential credential;
            try
            {
                credential = gate.Authorize(ExchangeOperation.PlaceOrder, exchange, name, request, (c, symbol) => adapter.GetTicker(c, symbol).Price);
            }
            catch (Exception e) when (!(e is CtException ct && ct.ErrorId == ErrorIds.AuditWriteFailed))
            {
                throw Reject(details, e, request.ToString());
            }
            using (credential)
            {
                var requested = audit.Append(AuditEventType.TradeRequested, Describe(exchange, name, request));
                try
                {
                    var order = adapter.PlaceOrder(credential, request);
                    var executed = audit.Append(AuditEventType.TradeExecuted, Describe(exchange, name, request)
                        .Add("order_id", order.OrderId)
                        .Add("status", order.Status)
                        .Add("filled_quantity", order.FilledQuantity)
                        .Add("average_price", order.AveragePrice?.ToString(CultureInfo.InvariantCulture)));
                    return new[] { requested, executed };
                }
                catch (ExchangeException e)
                {
                    var failed = audit.Append(AuditEventType.TradeFailed, Describe(exchange, name, request)
                        .Add("error_id", e.ErrorId)
                        .Add("reason", e.Message));
                    throw new TradeRejectedException(ErrorIds.TradeFailed, e.Kind,
                        $"{exchange} did not execute the order ({request}): {e.Message}", request.ToString(), new[] { requested, failed }, e);
                }
            }
        }

        public IReadOnlyList<AuditRecord> CancelOrder(string exchange, string name, string orderId)
        {
            var adapter = ExchangeAdapters.Create(exchange, database);
            var details = new AuditDetails().Add("exchange", exchange).Add("name", name).Add("action", "cancel").Add("order_id", orderId);
            ApiCredential credential;
            try
            {
                credential = gate.Authorize(ExchangeOperation.CancelOrder, exchange, name);
            }
            catch (Exception e) when (!(e is CtException ct && ct.ErrorId == ErrorIds.AuditWriteFailed))
            {
                throw Reject(details, e, orderId);
            }
            using (credential)
            {
                var requested = audit.Append(AuditEventType.TradeRequested, new AuditDetails().Add("exchange", exchange).Add("name", name).Add("action", "cancel").Add("order_id", orderId));
                try
                {
                    var order = adapter.CancelOrder(credential, orderId);
                    var executed = audit.Append(AuditEventType.TradeExecuted, new AuditDetails()
                        .Add("exchange", exchange).Add("name", name).Add("action", "cancel").Add("order_id", order.OrderId).Add("status", order.Status));
                    return new[] { requested, executed };
                }
                catch (ExchangeException e)
                {
                    var failed = audit.Append(AuditEventType.TradeFailed, new AuditDetails()
                        .Add("exchange", exchange).Add("name", name).Add("action", "cancel").Add("order_id", orderId).Add("error_id", e.ErrorId).Add("reason", e.Message));
                    throw new TradeRejectedException(ErrorIds.TradeFailed, e.Kind,
                        $"{exchange} did not cancel order '{orderId}': {e.Message}", orderId, new[] { requested, failed }, e);
                }
            }
        }

        private T Read<T>(ExchangeOperation operation, string exchange, string name, Func<IExchangeAdapter, ApiCredential, T> request)
        {
            var adapter = ExchangeAdapters.Create(exchange, database);
            using var credential = gate.Authorize(operation, exchange, name);
            try
            {
                return request(adapter, credential);
            }
            catch (ExchangeException e)
            {
                var errorId = e.Kind == CtErrorKind.AuthenticationError || e.Kind == CtErrorKind.PermissionDenied ? e.ErrorId : ErrorIds.ExchangeRequestFailed;
                throw new CtException(errorId, e.Kind, $"{exchange}: {e.Message}", exchange, e);
            }
        }

        private TradeRejectedException Reject(AuditDetails details, Exception cause, string target)
        {
            var (errorId, message) = cause switch
            {
                GateRejection rejection => (rejection.ErrorId, rejection.Message),
                CtException ct => (ErrorIds.PermissionCheckFailed, "The request was rejected because the permission check could not complete: " + ct.Message),
                _ => (ErrorIds.PermissionCheckFailed, "The request was rejected because the permission check failed unexpectedly (" + cause.GetType().Name + ")."),
            };
            var rejected = audit.Append(AuditEventType.TradeRejected, details.Add("error_id", errorId).Add("reason", message));
            return new TradeRejectedException(errorId, CtErrorKind.PermissionDenied, message, target, new[] { rejected }, cause);
        }

        private IReadOnlyList<AuditRecord> FindEarlierOutcome(string exchange, string name, string clientOrderId)
        {
            using var command = database.Connection.CreateCommand();
            command.CommandText = "SELECT sequence FROM audit_log WHERE exchange = $exchange AND event_type IN ($requested, $executed) " +
                "AND json_extract(details, '$.name') = $name AND json_extract(details, '$.client_order_id') = $client ORDER BY sequence;";
            command.Parameters.AddWithValue("$exchange", exchange);
            command.Parameters.AddWithValue("$requested", AuditEventType.TradeRequested);
            command.Parameters.AddWithValue("$executed", AuditEventType.TradeExecuted);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$client", clientOrderId);
            var sequences = new List<long>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    sequences.Add(reader.GetInt64(0));
                }
            }
            var records = sequences.Select(s => new AuditReader(database).Find(s)!).ToList();
            // Only a completed placement is answered from the log; a request without outcome is retried (the exchange dedups by client order id).
            return records.Any(r => r.EventType == AuditEventType.TradeExecuted) ? records : Array.Empty<AuditRecord>();
        }

        private static AuditDetails Describe(string exchange, string name, OrderRequest request) => new AuditDetails()
            .Add("exchange", exchange)
            .Add("name", name)
            .Add("symbol", request.Symbol)
            .Add("side", request.Side.ToString())
            .Add("type", request.OrderType)
            .Add("quantity", request.Quantity)
            .Add("limit_price", request.LimitPrice?.ToString(CultureInfo.InvariantCulture))
            .Add("client_order_id", request.ClientOrderId);
    }
}
