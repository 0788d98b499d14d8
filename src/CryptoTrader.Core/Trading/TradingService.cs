using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Storage;
using Microsoft.Data.Sqlite;

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
        private readonly KeyRing ring;
        private readonly PermissionGate gate;

        /// <param name="refresh">Reads the key ring again when stored data names a key <paramref name="ring"/> lacks (see <see cref="KeyStores.KeyRingProvider.Refresh"/>).</param>
        public TradingService(CtDatabase database, AuditLog audit, KeyRing ring, Func<KeyRing, KeyRing?>? refresh = null)
        {
            this.database = database;
            this.audit = audit;
            this.ring = ring;
            gate = new PermissionGate(database, audit, ring, refresh);
        }

        public IReadOnlyList<Balance> GetBalances(string exchange, string name) =>
            Read(ExchangeOperation.GetBalances, exchange, name, (adapter, credential) => adapter.GetBalances(credential));

        public Ticker GetTicker(string exchange, string name, string symbol) =>
            Read(ExchangeOperation.GetTicker, exchange, name, (adapter, credential) => adapter.GetTicker(credential, symbol));

        /// <summary>The credential's orders that <paramref name="query"/> selects.</summary>
        public IReadOnlyList<Order> GetOrders(string exchange, string name, OrderQuery query) =>
            Read(ExchangeOperation.GetOrders, exchange, name, (adapter, credential) => adapter.GetOrders(credential, query.OrderId))
                .Where(query.Matches).ToList();

        /// <summary>What the exchange says the order would do (Invoke-CtTrade -WhatIf); a read: no grant needed, nothing placed.</summary>
        public OrderPreview PreviewOrder(string exchange, string name, OrderRequest request) =>
            Read(ExchangeOperation.PreviewOrder, exchange, name, (adapter, credential) => adapter.PreviewOrder(credential, request));

        /// <summary>
        /// Places an order. The gate's check, the TRADE_REQUESTED record (or TRADE_REJECTED) and, on the paper exchange,
        /// the fill and its TRADE_EXECUTED record commit in one write transaction, so concurrent sessions never place
        /// more orders than a grant allows.
        /// </summary>
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
                credential = gate.RevealCredential(exchange, name);
            }
            catch (Exception e) when (!IsAuditFailure(e))
            {
                throw Reject(details, e, request.ToString());
            }
            using (credential)
            {
                var local = adapter as ILocalExchange;
                var remotePrices = local is null ? PricesForValuation(adapter, credential, exchange, name, request) : null;
                GateRejection? rejection = null;
                Exception? fillFailure = null;
                IReadOnlyList<AuditRecord> records;
                try
                {
                    records = audit.Write(transaction =>
                    {
                        Func<string, decimal?> price = local is null ? remotePrices! : symbol => local.Price(transaction.Transaction, symbol);
                        try
                        {
                            rejection = gate.CheckOrder(transaction, exchange, name, request, price);
                        }
                        catch (Exception e) when (!IsAuditFailure(e))
                        {
                            // The check itself failed (a damaged table, say): a rejection, recorded like any other (fail closed).
                            rejection = RejectionFor(e);
                        }
                        if (rejection != null)
                        {
                            transaction.Append(AuditEventType.TradeRejected, Describe(exchange, name, request).Add("error_id", rejection.ErrorId).Add("reason", rejection.Message));
                            return;
                        }
                        transaction.Append(AuditEventType.TradeRequested, details);
                        if (local != null)
                        {
                            fillFailure = FillLocally(transaction, local, credential, exchange, name, request);
                        }
                    });
                }
                catch (Exception e) when (!IsAuditFailure(e))
                {
                    // An unexpected failure of the check itself rejects the order (fail closed).
                    throw Reject(details, e, request.ToString());
                }
                if (rejection != null)
                {
                    var withCancels = rejection.Expired ? records.Concat(CancelOpenOrders(exchange, name).Records).ToList() : records;
                    throw new TradeRejectedException(rejection.ErrorId, CtErrorKind.PermissionDenied, rejection.Message, request.ToString(), withCancels);
                }
                if (fillFailure != null)
                {
                    throw TradeFailed(exchange, request, records, fillFailure);
                }
                return local is null ? PlaceRemotely(adapter, credential, exchange, name, request, records[records.Count - 1]) : records;
            }
        }

        /// <summary>
        /// Cancels the credential's open orders, each audited (TRADE_REQUESTED with action cancel, then TRADE_EXECUTED or
        /// TRADE_FAILED): what revoking or an expired grant does, so no order keeps working without a grant.
        /// </summary>
        public CancelOutcome CancelOpenOrders(string exchange, string name)
        {
            var adapter = ExchangeAdapters.Create(exchange, database);
            var outcome = new CancelOutcome();
            using var credential = gate.AuthorizeRead(ExchangeOperation.GetOrders, exchange, name);
            foreach (var order in adapter.GetOrders(credential, null).Where(o => o.Status == OrderStatus.Open))
            {
                try
                {
                    outcome.Add(Cancel(adapter, credential, exchange, name, order.OrderId));
                }
                catch (TradeRejectedException e)
                {
                    outcome.Add(e);
                }
            }
            return outcome;
        }

        /// <summary>Makes the credential read-only (<see cref="PermissionService.Revoke"/>) and cancels its open orders.</summary>
        /// <exception cref="CtException">CredentialNotFound: no such credential; nothing is changed.</exception>
        public CancelOutcome RevokeTrading(string exchange, string name)
        {
            var revoked = new PermissionService(database).Revoke(audit, ring, exchange, name);
            var outcome = CancelOpenOrders(exchange, name);
            outcome.Revocation = revoked;
            return outcome;
        }

        // A remote exchange: TRADE_REQUESTED is durable before the request leaves; the outcome is recorded after.
        private IReadOnlyList<AuditRecord> PlaceRemotely(IExchangeAdapter adapter, ApiCredential credential, string exchange, string name, OrderRequest request, AuditRecord requested)
        {
            try
            {
                var executed = audit.Append(AuditEventType.TradeExecuted, Executed(exchange, name, request, adapter.PlaceOrder(credential, request)));
                return new[] { requested, executed };
            }
            catch (Exception e) when (!IsAuditFailure(e))
            {
                // Any failure after TRADE_REQUESTED is recorded as TRADE_FAILED, so no request is left without an outcome.
                var failed = audit.Append(AuditEventType.TradeFailed, Failed(Describe(exchange, name, request), e));
                throw TradeFailed(exchange, request, new[] { requested, failed }, e);
            }
        }

        // The paper exchange lives in this database: the fill commits with its records. A refused fill is undone to a
        // savepoint and recorded as TRADE_FAILED in the same transaction.
        private static Exception? FillLocally(AuditTransaction transaction, ILocalExchange local, ApiCredential credential, string exchange, string name, OrderRequest request)
        {
            const string savepoint = "fill";
            transaction.Transaction.Save(savepoint);
            try
            {
                var order = local.PlaceOrder(transaction.Transaction, credential, request);
                transaction.Transaction.Release(savepoint);
                transaction.Append(AuditEventType.TradeExecuted, Executed(exchange, name, request, order));
                return null;
            }
            catch (Exception e) when (!(e is SqliteException) && !IsAuditFailure(e))
            {
                transaction.Transaction.Rollback(savepoint);
                transaction.Append(AuditEventType.TradeFailed, Failed(Describe(exchange, name, request), e));
                return e;
            }
        }

        /// <summary>
        /// For a remote exchange, the prices the gate may need to value the order (read before the write transaction,
        /// which must not wait on the network): only when the stored grant has a value limit. The gate checks the grant
        /// itself; a price it needs that is not here makes the order OrderValueUnknown.
        /// </summary>
        private Func<string, decimal?> PricesForValuation(IExchangeAdapter adapter, ApiCredential credential, string exchange, string name, OrderRequest request)
        {
            var prices = new Dictionary<string, decimal?>(StringComparer.Ordinal);
            var stored = new PermissionService(database).FindStored(exchange, name);
            if (stored is { Unreadable: false, MaxOrderValue: not null })
            {
                foreach (var symbol in new[] { request.Symbol, request.QuoteCurrency + "-" + stored.ValueCurrency })
                {
                    if (!prices.ContainsKey(symbol))
                    {
                        prices[symbol] = TryPrice(adapter, credential, symbol);
                    }
                }
            }
            return symbol => prices.TryGetValue(symbol, out var price) ? price : null;
        }

        private static decimal? TryPrice(IExchangeAdapter adapter, ApiCredential credential, string symbol)
        {
            try
            {
                return adapter.GetTicker(credential, symbol).Price;
            }
            catch (ExchangeException)
            {
                return null;
            }
        }

        private static AuditDetails Failed(AuditDetails details, Exception e) => details
            .Add("error_id", e is ExchangeException exchangeError ? exchangeError.ErrorId : ErrorIds.ExchangeRequestFailed)
            .Add("reason", e is ExchangeException ? e.Message : "The request failed before the exchange answered (" + e.GetType().Name + ").");

        // An exchange that refused the credential (401, 403) says so; anything else is a failed operation.
        private static CtErrorKind KindOf(Exception e) => e is ExchangeException exchangeError ? exchangeError.Kind : CtErrorKind.InvalidOperation;

        // The exchange's own reason (InsufficientFunds, UnknownSymbol, ...) is the error's id, as in the TRADE_FAILED record.
        private static string ErrorIdOf(Exception e) => e is ExchangeException exchangeError ? exchangeError.ErrorId : ErrorIds.TradeFailed;

        private static TradeRejectedException TradeFailed(string exchange, OrderRequest request, IReadOnlyList<AuditRecord> records, Exception e) =>
            new TradeRejectedException(ErrorIdOf(e), KindOf(e),
                $"{exchange} did not execute the order ({request}): {e.Message}", request.ToString(), records, e);

        /// <summary>Cancels an order. Needs a stored credential, not a grant: cancelling only lowers risk.</summary>
        public IReadOnlyList<AuditRecord> CancelOrder(string exchange, string name, string orderId)
        {
            OrderValidation.RequireOrderId(orderId);
            var adapter = ExchangeAdapters.Create(exchange, database);
            ApiCredential credential;
            try
            {
                credential = gate.AuthorizeRead(ExchangeOperation.CancelOrder, exchange, name);
            }
            catch (Exception e) when (!IsAuditFailure(e))
            {
                throw Reject(CancelDetails(exchange, name, orderId), e, orderId);
            }
            using (credential)
            {
                return Cancel(adapter, credential, exchange, name, orderId);
            }
        }

        private IReadOnlyList<AuditRecord> Cancel(IExchangeAdapter adapter, ApiCredential credential, string exchange, string name, string orderId)
        {
            var requested = audit.Append(AuditEventType.TradeRequested, CancelDetails(exchange, name, orderId));
            try
            {
                var order = adapter.CancelOrder(credential, orderId);
                var executed = audit.Append(AuditEventType.TradeExecuted, new AuditDetails()
                    .Add("exchange", exchange).Add("name", name).Add("action", "cancel").Add("order_id", order.OrderId).Add("status", order.Status));
                return new[] { requested, executed };
            }
            catch (Exception e) when (!IsAuditFailure(e))
            {
                var failed = audit.Append(AuditEventType.TradeFailed, Failed(CancelDetails(exchange, name, orderId), e));
                throw new TradeRejectedException(ErrorIdOf(e), KindOf(e),
                    $"{exchange} did not cancel order '{orderId}': {e.Message}", orderId, new[] { requested, failed }, e);
            }
        }

        private static AuditDetails CancelDetails(string exchange, string name, string orderId) =>
            new AuditDetails().Add("exchange", exchange).Add("name", name).Add("action", "cancel").Add("order_id", orderId);

        private T Read<T>(ExchangeOperation operation, string exchange, string name, Func<IExchangeAdapter, ApiCredential, T> request)
        {
            // No request leaves on a log whose end does not match its head and state, reads included.
            audit.CheckEnd();
            var adapter = ExchangeAdapters.Create(exchange, database);
            using var credential = gate.AuthorizeRead(operation, exchange, name);
            try
            {
                return request(adapter, credential);
            }
            catch (ExchangeException e)
            {
                throw new CtException(e.ErrorId, e.Kind, $"{exchange}: {e.Message}", exchange, e);
            }
        }

        // The audit log refused the write (locked, full, tampered): nothing more may be attempted or recorded.
        private static bool IsAuditFailure(Exception e) =>
            e is CtException ct && (ct.ErrorId == ErrorIds.AuditWriteFailed || ct.ErrorId == ErrorIds.AuditLogTampered);

        private TradeRejectedException Reject(AuditDetails details, Exception cause, string target)
        {
            var rejection = RejectionFor(cause);
            var rejected = audit.Append(AuditEventType.TradeRejected, details.Add("error_id", rejection.ErrorId).Add("reason", rejection.Message));
            return new TradeRejectedException(rejection.ErrorId, CtErrorKind.PermissionDenied, rejection.Message, target, new[] { rejected }, cause);
        }

        private static GateRejection RejectionFor(Exception cause) => cause switch
        {
            GateRejection rejection => rejection,
            CtException ct => new GateRejection(ErrorIds.PermissionCheckFailed, "The request was rejected because the permission check could not complete: " + ct.Message),
            _ => new GateRejection(ErrorIds.PermissionCheckFailed, "The request was rejected because the permission check failed unexpectedly (" + cause.GetType().Name + ")."),
        };

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
