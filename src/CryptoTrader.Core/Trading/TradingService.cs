using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.MarketData;
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
            // Only an id the user chose can have been used before; a generated one is new by construction.
            var earlier = request.ClientOrderIdGiven ? FindEarlierOutcome(exchange, name, request) : Array.Empty<AuditRecord>();
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
                return adapter is ILocalExchange local ? PlaceLocally(local, credential, exchange, name, request) : PlaceRemotely(adapter, credential, exchange, name, request);
            }
        }

        // A remote exchange: TRADE_REQUESTED is durable before the request leaves; the outcome is recorded after.
        private IReadOnlyList<AuditRecord> PlaceRemotely(IExchangeAdapter adapter, ApiCredential credential, string exchange, string name, OrderRequest request)
        {
            var requested = audit.Append(AuditEventType.TradeRequested, Describe(exchange, name, request));
            try
            {
                var executed = audit.Append(AuditEventType.TradeExecuted, Executed(exchange, name, request, adapter.PlaceOrder(credential, request)));
                return new[] { requested, executed };
            }
            catch (Exception e) when (!(e is CtException ct && ct.ErrorId == ErrorIds.AuditWriteFailed))
            {
                // Any failure after TRADE_REQUESTED is recorded as TRADE_FAILED, so no request is left without an outcome.
                var failed = audit.Append(AuditEventType.TradeFailed, Failed(exchange, name, request, e));
                throw TradeFailed(exchange, request, new[] { requested, failed }, e);
            }
        }

        // The paper exchange lives in this database: the request record, the fill and the execution record commit
        // together, so no order can exist without its request record. A refused order rolls all of it back and is
        // then recorded as requested and failed.
        private IReadOnlyList<AuditRecord> PlaceLocally(ILocalExchange local, ApiCredential credential, string exchange, string name, OrderRequest request)
        {
            try
            {
                return audit.Write(transaction =>
                {
                    transaction.Append(AuditEventType.TradeRequested, Describe(exchange, name, request));
                    transaction.Append(AuditEventType.TradeExecuted, Executed(exchange, name, request, local.PlaceOrder(transaction.Transaction, credential, request)));
                });
            }
            catch (Exception e) when (!(e is CtException ct && ct.ErrorId == ErrorIds.AuditWriteFailed))
            {
                var records = audit.Write(transaction =>
                {
                    transaction.Append(AuditEventType.TradeRequested, Describe(exchange, name, request));
                    transaction.Append(AuditEventType.TradeFailed, Failed(exchange, name, request, e));
                });
                throw TradeFailed(exchange, request, records, e);
            }
        }

        private static AuditDetails Failed(string exchange, string name, OrderRequest request, Exception e) => Describe(exchange, name, request)
            .Add("error_id", e is ExchangeException exchangeError ? exchangeError.ErrorId : ErrorIds.ExchangeRequestFailed)
            .Add("reason", e is ExchangeException ? e.Message : "The request failed before the exchange answered (" + e.GetType().Name + ").");

        // An exchange that refused the credential (401, 403) says so; anything else is a failed operation.
        private static CtErrorKind KindOf(Exception e) => e is ExchangeException exchangeError ? exchangeError.Kind : CtErrorKind.InvalidOperation;

        private static TradeRejectedException TradeFailed(string exchange, OrderRequest request, IReadOnlyList<AuditRecord> records, Exception e) =>
            new TradeRejectedException(ErrorIds.TradeFailed, KindOf(e),
                $"{exchange} did not execute the order ({request}): {e.Message}", request.ToString(), records, e);

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
                catch (Exception e) when (!(e is CtException ct && ct.ErrorId == ErrorIds.AuditWriteFailed))
                {
                    var failed = audit.Append(AuditEventType.TradeFailed, new AuditDetails()
                        .Add("exchange", exchange).Add("name", name).Add("action", "cancel").Add("order_id", orderId)
                        .Add("error_id", e is ExchangeException exchangeError ? exchangeError.ErrorId : ErrorIds.ExchangeRequestFailed)
                        .Add("reason", e is ExchangeException ? e.Message : "The request failed before the exchange answered (" + e.GetType().Name + ")."));
                    throw new TradeRejectedException(ErrorIds.TradeFailed, KindOf(e),
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
                throw ReadFailed(exchange, e);
            }
        }

        /// <summary>
        /// Candles for a sync, one page a request, fetched as the caller enumerates: one gate check for them all (a
        /// read: a stored credential that decrypts, no grant). Reads that succeed leave no audit record; an exchange
        /// error ends the enumeration and is recorded as an ERROR record first.
        /// </summary>
        internal IEnumerable<IReadOnlyList<Candle>> GetCandles(string exchange, string name, string symbol, CandleGranularity granularity, IEnumerable<CandleRange> pages)
        {
            var adapter = ExchangeAdapters.Create(exchange, database);
            using var credential = gate.Authorize(ExchangeOperation.GetCandles, exchange, name);
            foreach (var page in pages)
            {
                IReadOnlyList<Candle> candles;
                try
                {
                    candles = adapter.GetCandles(credential, symbol, granularity, page);
                }
                catch (ExchangeException e)
                {
                    audit.Append(AuditEventType.Error, new AuditDetails()
                        .Add("error_id", e.ErrorId)
                        .Add("exchange", exchange)
                        .Add("name", name)
                        .Add("operation", nameof(ExchangeOperation.GetCandles))
                        .Add("symbol", symbol)
                        .Add("message", e.Message));
                    throw ReadFailed(exchange, e);
                }
                yield return candles;
            }
        }

        // A refused key (401) or scope (403) keeps its own id; anything else the exchange did is a failed request.
        private static CtException ReadFailed(string exchange, ExchangeException e)
        {
            var errorId = e.Kind == CtErrorKind.AuthenticationError || e.Kind == CtErrorKind.PermissionDenied ? e.ErrorId : ErrorIds.ExchangeRequestFailed;
            return new CtException(errorId, e.Kind, $"{exchange}: {e.Message}", exchange, e);
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

        private static bool SameOrder(AuditRecord earlier, string exchange, string name, OrderRequest request) =>
            Describe(exchange, name, request).ToJson() == earlier.DetailsJson;

        private IReadOnlyList<AuditRecord> FindEarlierOutcome(string exchange, string name, OrderRequest request)
        {
            var clientOrderId = request.ClientOrderId;
            using var command = database.Connection.CreateCommand();
            command.CommandText = "SELECT sequence, exchange, json_extract(details, '$.name') FROM audit_log " +
                "WHERE exchange = $exchange AND event_type IN ('TRADE_REQUESTED', 'TRADE_EXECUTED') AND json_extract(details, '$.client_order_id') = $client ORDER BY sequence;";
            command.Parameters.AddWithValue("$exchange", exchange);
            command.Parameters.AddWithValue("$client", clientOrderId);
            var sequences = new List<long>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (reader.GetString(1) == exchange && !reader.IsDBNull(2) && reader.GetString(2) == name)
                    {
                        sequences.Add(reader.GetInt64(0));
                    }
                }
            }
            var records = sequences.Select(s => new AuditReader(database).Find(s)!).ToList();
            var first = records.FirstOrDefault(r => r.EventType == AuditEventType.TradeRequested);
            if (first != null && !SameOrder(first, exchange, name, request))
            {
                throw new CtException(ErrorIds.InvalidOrder, CtErrorKind.InvalidArgument,
                    $"Client order id '{clientOrderId}' was already used for a different order ({first.Details["side"]} {first.Details["quantity"]} {first.Details["symbol"]}). Use a new -ClientOrderId.",
                    "ClientOrderId");
            }
            // Only a completed placement is answered from the log; a request without outcome is retried (the exchange dedups by client order id).
            return records.Any(r => r.EventType == AuditEventType.TradeExecuted) ? records : Array.Empty<AuditRecord>();
        }

        private static AuditDetails Executed(string exchange, string name, OrderRequest request, Order order) => Describe(exchange, name, request)
            .Add("order_id", order.OrderId)
            .Add("status", order.Status)
            .Add("filled_quantity", order.FilledQuantity)
            .Add("average_price", order.AveragePrice?.ToString(CultureInfo.InvariantCulture));

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
