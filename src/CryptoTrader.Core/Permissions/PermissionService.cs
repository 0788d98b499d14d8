using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Permissions
{
    /// <summary>
    /// Grants and revokes trading, and decides whether a stored grant is honoured: MAC valid, bound to the
    /// genuine audit record that made it, not superseded by a later permission record, not expired.
    /// </summary>
    public sealed class PermissionService
    {
        private readonly CtDatabase database;
        private readonly GrantStore grants;

        public PermissionService(CtDatabase database)
        {
            this.database = database;
            grants = new GrantStore(database.Connection);
        }

        public AuditRecord Grant(AuditLog audit, KeyRing ring, string exchange, string name, GrantLimits limits)
        {
            ValidateLimits(limits);
            var now = DateTimeOffset.UtcNow;
            return audit.Write(transaction =>
            {
                var credential = new CredentialStore(database).Find(exchange, name, transaction.Transaction) ?? throw ApiKeyService.NotFound(exchange, name);
                if (credential.Capabilities is { CanTrade: false })
                {
                    throw new CtException(ErrorIds.KeyCannotTrade, CtErrorKind.PermissionDenied,
                        $"The {exchange} key '{name}' cannot trade: the exchange reported it without the trade permission when it was stored (key_permissions can_trade = false), " +
                        "so it stays ReadOnly. Create a key with the trade scope at the exchange and store it with Set-CtApiKey, then grant trading.",
                        exchange + "/" + name);
                }
                var before = Check(ring, grants.Find(exchange, name, transaction.Transaction)).State == GrantState.Valid ? "TradingEnabled" : "ReadOnly";
                var grant = new TradingGrant
                {
                    Exchange = exchange,
                    Name = name,
                    GrantedBy = audit.UserId,
                    GrantedAt = AuditTime.Format(now),
                    ExpiresAt = limits.Duration.HasValue ? AuditTime.Format(now + limits.Duration.Value) : null,
                    MaxOrderValue = limits.MaxOrderValue,
                    MaxOrdersPerDay = limits.MaxOrdersPerDay,
                    AllowedSymbols = limits.AllowedSymbols,
                    KeyId = ring.Primary.Id,
                };
                var record = transaction.Append(AuditEventType.PermissionChanged, Describe(grant, "granted", before, "TradingEnabled"), now);
                grant.AuditSequence = record.Sequence;
                grant.Mac = GrantMac.Compute(ring, grant.KeyId, grant);
                grants.Upsert(transaction, grant);
            })[0];
        }

        /// <summary>Makes the credential ReadOnly; null when it was already (no grant stored).</summary>
        public AuditRecord? Revoke(AuditLog audit, KeyRing ring, string exchange, string name, string action = "revoked")
        {
            var records = audit.Write(transaction =>
            {
                var stored = grants.Find(exchange, name, transaction.Transaction);
                if (stored is null)
                {
                    return;
                }
                var before = Check(ring, stored).State == GrantState.Valid ? "TradingEnabled" : "ReadOnly";
                grants.Delete(transaction.Transaction, exchange, name);
                transaction.Append(AuditEventType.PermissionChanged, new AuditDetails()
                    .Add("exchange", exchange)
                    .Add("name", name)
                    .Add("action", action)
                    .Add("level_before", before)
                    .Add("level_after", "ReadOnly"));
            });
            return records.Count == 0 ? null : records[0];
        }

        public PermissionInfo Describe(KeyRing ring, string exchange, string name)
        {
            var verdict = Check(ring, grants.Find(exchange, name));
            var info = new PermissionInfo { Exchange = exchange, Name = name, Status = verdict.Reason };
            if (verdict.Grant is { } grant)
            {
                info.GrantedBy = grant.GrantedBy;
                info.GrantedAt = TryParseTime(grant.GrantedAt);
                info.ExpiresAt = TryParseTime(grant.ExpiresAt);
                info.MaxOrderValue = grant.MaxOrderValue;
                info.MaxOrdersPerDay = grant.MaxOrdersPerDay;
                info.AllowedSymbols = grant.AllowedSymbols.ToArray();
            }
            info.Level = verdict.State == GrantState.Valid ? "TradingEnabled" : "ReadOnly";
            info.IntegrityValid = verdict.State != GrantState.IntegrityFailed;
            return info;
        }

        internal GrantVerdict Evaluate(KeyRing ring, string exchange, string name) => Check(ring, grants.Find(exchange, name));

        internal GrantStore Store => grants;

        private GrantVerdict Check(KeyRing ring, TradingGrant? grant)
        {
            if (grant is null)
            {
                return new GrantVerdict(GrantState.None, null, "No trading grant: read-only.");
            }
            if (grant.Unreadable || !GrantMac.Matches(ring, grant))
            {
                return new GrantVerdict(GrantState.IntegrityFailed, grant, "The stored grant failed its integrity check (changed outside CryptoTrader): not honoured.");
            }
            if (grant.ExpiresAt != null && AuditTime.Parse(grant.ExpiresAt) <= DateTime.UtcNow)
            {
                return new GrantVerdict(GrantState.Expired, grant, $"The grant expired at {grant.ExpiresAt}: read-only.");
            }
            var origin = new AuditReader(database).Find(grant.AuditSequence);
            if (origin is null || origin.EventType != AuditEventType.PermissionChanged || !new AuditChain(ring).Seals(origin)
                || !Equals(origin.Details["exchange"], grant.Exchange) || !Equals(origin.Details["name"], grant.Name) || !Equals(origin.Details["action"], "granted"))
            {
                return new GrantVerdict(GrantState.IntegrityFailed, grant, "The stored grant does not match the audit record that made it: not honoured.");
            }
            if (grants.HasLaterPermissionRecord(grant.Exchange, grant.Name, grant.AuditSequence))
            {
                return new GrantVerdict(GrantState.IntegrityFailed, grant, "The stored grant was revoked or replaced later (it was put back into the database): not honoured.");
            }
            return new GrantVerdict(GrantState.Valid, grant, grant.ExpiresAt is null ? "Trading enabled, no expiry." : $"Trading enabled until {grant.ExpiresAt}.");
        }

        internal static AuditDetails Describe(TradingGrant grant, string action, string before, string after) => new AuditDetails()
            .Add("exchange", grant.Exchange)
            .Add("name", grant.Name)
            .Add("action", action)
            .Add("level_before", before)
            .Add("level_after", after)
            .Add("granted_by", grant.GrantedBy)
            .Add("expires_at", grant.ExpiresAt)
            .Add("max_order_value", grant.MaxOrderValue?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("max_orders_per_day", grant.MaxOrdersPerDay.HasValue ? grant.MaxOrdersPerDay.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null)
            .Add("allowed_symbols", grant.AllowedSymbols.Count == 0 ? null : string.Join(",", grant.AllowedSymbols));

        private static void ValidateLimits(GrantLimits limits)
        {
            if (limits.Duration.HasValue && limits.Duration.Value <= TimeSpan.Zero)
            {
                throw Invalid("Duration must be positive, for example (New-TimeSpan -Hours 8).");
            }
            if (limits.MaxOrderValue.HasValue && limits.MaxOrderValue.Value <= 0m)
            {
                throw Invalid("MaxOrderValue must be greater than zero.");
            }
            if (limits.MaxOrdersPerDay.HasValue && limits.MaxOrdersPerDay.Value <= 0)
            {
                throw Invalid("MaxOrdersPerDay must be greater than zero.");
            }
        }

        // A grant that failed its integrity check may hold anything; show what parses.
        private static DateTime? TryParseTime(string? value) =>
            DateTime.TryParseExact(value, AuditTime.Pattern, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;

        private static CtException Invalid(string message) => new CtException(ErrorIds.InvalidGrant, CtErrorKind.InvalidArgument, message, null);
    }
}
