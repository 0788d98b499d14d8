using System;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Trading
{
    /// <summary>
    /// The one permission check every exchange request passes. Reads (balances, tickers, orders, previews, and cancels,
    /// which only lower risk) need a stored credential that decrypts. Placing an order also needs a valid, unexpired
    /// TradingEnabled grant and must respect its limits; that check runs inside the write transaction that records
    /// the order (TRADE_REQUESTED), so the facts it reads cannot change before the order is counted.
    /// </summary>
    internal sealed class PermissionGate
    {
        private readonly CtDatabase database;
        private readonly AuditLog audit;
        private readonly KeyRing ring;
        private readonly PermissionService permissions;
        private readonly Func<KeyRing, KeyRing?>? refresh;

        /// <param name="refresh">Reads the key ring again when a token names a key this ring lacks (another session rotated meanwhile).</param>
        public PermissionGate(CtDatabase database, AuditLog audit, KeyRing ring, Func<KeyRing, KeyRing?>? refresh = null)
        {
            this.database = database;
            this.audit = audit;
            this.ring = ring;
            this.refresh = refresh;
            permissions = new PermissionService(database);
        }

        /// <summary>A read (or a cancel): the decrypted credential. A token that fails its check is an audited error.</summary>
        public ApiCredential AuthorizeRead(ExchangeOperation operation, string exchange, string name)
        {
            if (operation.IsTrade())
            {
                throw new InvalidOperationException($"{operation} is a trade: the gate checks it with CheckOrder, inside the transaction that records it.");
            }
            return RevealCredential(exchange, name);
        }

        /// <summary>The decrypted credential for an order, which <see cref="CheckOrder"/> then checks against the grant.</summary>
        public ApiCredential RevealCredential(string exchange, string name) => new ApiKeyService(database).Reveal(audit, ring, exchange, name, refresh);

        /// <summary>
        /// Checks an order against the grant and its limits inside <paramref name="transaction"/>, where it will be recorded.
        /// Records what the check itself found (an integrity failure, an expiry) in the same transaction.
        /// </summary>
        /// <param name="marketPrice">The exchange's current price of a symbol, or null when it has none.</param>
        /// <returns>Null when the order may go ahead, else why not.</returns>
        public GateRejection? CheckOrder(AuditTransaction transaction, string exchange, string name, OrderRequest order, Func<string, decimal?> marketPrice)
        {
            var verdict = permissions.Evaluate(exchange, name, transaction);
            switch (verdict.State)
            {
                case GrantState.None:
                    return new GateRejection(ErrorIds.TradingNotEnabled,
                        $"Trading is not enabled for {exchange}/{name}: the credential is read-only. Enable it with Grant-CtTrading -Exchange {exchange} -Name {name}.");
                case GrantState.Expired:
                    if (!verdict.ExpiryRecorded)
                    {
                        PermissionService.RecordExpiry(transaction, verdict.Grant!);
                    }
                    return new GateRejection(ErrorIds.TradingPermissionExpired,
                        $"The trading grant for {exchange}/{name} expired at {verdict.Grant!.ExpiresAt}; the credential is read-only again. Grant it anew with Grant-CtTrading.",
                        expired: true);
                case GrantState.IntegrityFailed:
                    transaction.Append(AuditEventType.Error, new AuditDetails()
                        .Add("error_id", ErrorIds.GrantIntegrityFailed)
                        .Add("exchange", exchange)
                        .Add("name", name)
                        .Add("message", verdict.Reason));
                    return new GateRejection(ErrorIds.GrantIntegrityFailed,
                        $"The trading grant for {exchange}/{name} failed its integrity check and is not honoured ({verdict.Reason}) Revoke it and grant again with Grant-CtTrading, and check who changed the database.");
            }
            return CheckLimits(verdict.Grant!, order, transaction.Facts.OrdersOn(exchange, name, DateTimeOffset.UtcNow), marketPrice);
        }

        private static GateRejection? CheckLimits(TradingGrant grant, OrderRequest order, long ordersToday, Func<string, decimal?> marketPrice)
        {
            if (grant.AllowedSymbols.Count > 0 && !Contains(grant, order.Symbol))
            {
                return new GateRejection(ErrorIds.SymbolNotAllowed,
                    $"{order.Symbol} is not among the symbols this grant allows ({string.Join(", ", grant.AllowedSymbols)}).");
            }
            if (grant.MaxOrderValue.HasValue)
            {
                decimal value;
                try
                {
                    value = OrderValuation.WorstCase(order, grant.ValueCurrency, marketPrice);
                }
                catch (GateRejection unknown)
                {
                    return unknown;
                }
                if (value > grant.MaxOrderValue.Value)
                {
                    return new GateRejection(ErrorIds.OrderValueOverLimit,
                        $"The order is worth up to {value} {grant.ValueCurrency} (its quantity at the higher of its limit and the market price), over the grant's limit of {grant.MaxOrderValue.Value} {grant.ValueCurrency}. " +
                        "Place a smaller order or grant a higher -MaxOrderValue.");
                }
            }
            if (grant.MaxOrdersPerDay.HasValue && ordersToday >= grant.MaxOrdersPerDay.Value)
            {
                return new GateRejection(ErrorIds.DailyOrderLimitReached,
                    $"{grant.Exchange}/{grant.Name} has placed its {grant.MaxOrdersPerDay.Value} orders allowed today (UTC). Try again tomorrow or grant a higher -MaxOrdersPerDay.");
            }
            return null;
        }

        private static bool Contains(TradingGrant grant, string symbol)
        {
            foreach (var allowed in grant.AllowedSymbols)
            {
                if (string.Equals(allowed, symbol, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
