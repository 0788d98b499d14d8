using System;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Trading
{
    /// <summary>
    /// The one permission check every exchange request passes. Reads need a stored credential that decrypts;
    /// trades also need a valid, unexpired TradingEnabled grant and must respect its limits. Returns the
    /// decrypted credential only when the request may go ahead.
    /// </summary>
    internal sealed class PermissionGate
    {
        private readonly CtDatabase database;
        private readonly AuditLog audit;
        private readonly PermissionService permissions;
        private readonly Func<KeyRing, KeyRing?>? refresh;
        private KeyRing ring;

        /// <param name="refresh">Reads the key ring again when a grant or token names a key this ring lacks (another session rotated meanwhile).</param>
        public PermissionGate(CtDatabase database, AuditLog audit, KeyRing ring, Func<KeyRing, KeyRing?>? refresh = null)
        {
            this.database = database;
            this.audit = audit;
            this.ring = ring;
            this.refresh = refresh;
            permissions = new PermissionService(database);
        }

        /// <summary>The one check: classifies the operation as a read or a trade and applies its rules.</summary>
        /// <param name="order">The order being placed (PlaceOrder only): checked against the grant's limits.</param>
        /// <param name="marketPrice">Reads the current price (for the value of a market order) with the credential.</param>
        public ApiCredential Authorize(ExchangeOperation operation, string exchange, string name, OrderRequest? order = null,
            Func<ApiCredential, string, decimal>? marketPrice = null)
        {
            if (!operation.IsTrade())
            {
                return new ApiKeyService(database).Reveal(audit, ring, exchange, name, refresh);
            }
            var verdict = permissions.Evaluate(ring, exchange, name);
            if (verdict.State == GrantState.IntegrityFailed && refresh?.Invoke(ring) is KeyRing newer)
            {
                // Sealed under a key this ring lacks (granted after another session rotated): check again with the store's ring first.
                ring = newer;
                verdict = permissions.Evaluate(ring, exchange, name);
            }
            switch (verdict.State)
            {
                case GrantState.None:
                    throw new GateRejection(ErrorIds.TradingNotEnabled,
                        $"Trading is not enabled for {exchange}/{name}: the credential is read-only. Enable it with Grant-CtTrading -Exchange {exchange} -Name {name}.");
                case GrantState.Expired:
                    RecordExpiry(verdict.Grant!);
                    throw new GateRejection(ErrorIds.TradingPermissionExpired,
                        $"The trading grant for {exchange}/{name} expired at {verdict.Grant!.ExpiresAt}; the credential is read-only again. Grant it anew with Grant-CtTrading.");
                case GrantState.IntegrityFailed:
                    audit.Append(AuditEventType.Error, new AuditDetails()
                        .Add("error_id", ErrorIds.GrantIntegrityFailed)
                        .Add("exchange", exchange)
                        .Add("name", name)
                        .Add("message", verdict.Reason));
                    throw new GateRejection(ErrorIds.GrantIntegrityFailed,
                        $"The trading grant for {exchange}/{name} failed its integrity check and is not honoured ({verdict.Reason}) Revoke it and grant again with Grant-CtTrading, and check who changed the database.");
            }
            var credential = new ApiKeyService(database).Reveal(audit, ring, exchange, name, refresh);
            try
            {
                if (order != null)
                {
                    CheckLimits(verdict.Grant!, order, () => marketPrice!(credential, order.Symbol));
                }
                return credential;
            }
            catch
            {
                credential.Dispose();
                throw;
            }
        }

        private void CheckLimits(TradingGrant grant, OrderRequest order, Func<decimal> marketPrice)
        {
            if (grant.AllowedSymbols.Count > 0 && !grant.AllowedSymbols.Contains(order.Symbol))
            {
                throw new GateRejection(ErrorIds.SymbolNotAllowed,
                    $"{order.Symbol} is not among the symbols this grant allows ({string.Join(", ", grant.AllowedSymbols)}).");
            }
            if (grant.MaxOrderValue.HasValue)
            {
                var value = order.Quantity * (order.LimitPrice ?? marketPrice());
                if (value > grant.MaxOrderValue.Value)
                {
                    throw new GateRejection(ErrorIds.OrderValueOverLimit,
                        $"The order is worth {value} {order.QuoteCurrency}, over the grant's limit of {grant.MaxOrderValue.Value}. Place a smaller order or grant a higher -MaxOrderValue.");
                }
            }
            if (grant.MaxOrdersPerDay.HasValue && permissions.Store.OrdersToday(grant.Exchange, grant.Name) >= grant.MaxOrdersPerDay.Value)
            {
                throw new GateRejection(ErrorIds.DailyOrderLimitReached,
                    $"{grant.Exchange}/{grant.Name} has placed its {grant.MaxOrdersPerDay.Value} orders allowed today (UTC). Try again tomorrow or grant a higher -MaxOrdersPerDay.");
            }
        }

        private void RecordExpiry(TradingGrant grant)
        {
            if (grant.ExpiryRecorded)
            {
                return;
            }
            audit.Write(transaction =>
            {
                permissions.Store.MarkExpiryRecorded(transaction.Transaction, grant.Exchange, grant.Name);
                transaction.Append(AuditEventType.PermissionChanged, PermissionService.Describe(grant, "expired", "TradingEnabled", "ReadOnly"));
            });
        }
    }
}
