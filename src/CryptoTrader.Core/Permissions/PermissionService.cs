using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Permissions
{
    /// <summary>
    /// Grants and revokes trading, and decides whether a stored grant is honoured. Every fact the decision uses is
    /// authenticated: the grant row by its MAC; the record that made it by the audit chain's MAC; that no later
    /// permission record (a revocation, a newer grant, a recorded expiry) replaced it, by the MAC'd audit facts
    /// folded from the records themselves (<see cref="AuditFacts"/>), never by a column a query filters on.
    /// </summary>
    public sealed class PermissionService
    {
        private const string Granted = "granted";
        private const string Expired = "expired";
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
                var before = LevelOf(Evaluate(exchange, name, transaction));
                var grant = new TradingGrant
                {
                    Exchange = exchange,
                    Name = name,
                    GrantedBy = audit.UserId,
                    GrantedAt = AuditTime.Format(now),
                    ExpiresAt = limits.Duration.HasValue ? AuditTime.Format(now + limits.Duration.Value) : null,
                    MaxOrderValue = limits.MaxOrderValue,
                    ValueCurrency = limits.ValueCurrency,
                    MaxOrdersPerDay = limits.MaxOrdersPerDay,
                    AllowedSymbols = limits.AllowedSymbols,
                    KeyId = transaction.Ring.Primary.Id,
                };
                var record = transaction.Append(AuditEventType.PermissionChanged, Describe(grant, Granted, before, "TradingEnabled"), now);
                grant.AuditSequence = record.Sequence;
                grant.Mac = GrantMac.Compute(transaction.Ring, grant.KeyId, grant);
                grants.Upsert(transaction, grant);
            })[0];
        }

        /// <summary>
        /// Makes the credential ReadOnly; null when it was already (no grant stored, and none in the log's last word on it).
        /// </summary>
        /// <exception cref="CtException">CredentialNotFound: no such credential.</exception>
        public AuditRecord? Revoke(AuditLog audit, KeyRing ring, string exchange, string name, string action = "revoked")
        {
            var records = audit.Write(transaction =>
            {
                _ = new CredentialStore(database).Find(exchange, name, transaction.Transaction) ?? throw ApiKeyService.NotFound(exchange, name);
                var verdict = Evaluate(exchange, name, transaction);
                var deleted = grants.Delete(transaction.Transaction, exchange, name);
                // A grant row deleted behind the module's back still gets its revocation on the record.
                if (!deleted && verdict.State == GrantState.None)
                {
                    return;
                }
                transaction.Append(AuditEventType.PermissionChanged, new AuditDetails()
                    .Add("exchange", exchange)
                    .Add("name", name)
                    .Add("action", action)
                    .Add("level_before", LevelOf(verdict))
                    .Add("level_after", "ReadOnly"));
            });
            return records.Count == 0 ? null : records[0];
        }

        /// <param name="keyRings">The key ring's store, read again when the log was sealed meanwhile with a key <paramref name="ring"/> lacks (another session rotated it).</param>
        public PermissionInfo Describe(KeyRing ring, string exchange, string name, KeyStores.KeyRingProvider? keyRings = null)
        {
            var verdict = Evaluate(ring, exchange, name, keyRings);
            var info = new PermissionInfo { Exchange = exchange, Name = name, Status = verdict.Reason };
            if (verdict.Grant is { } grant)
            {
                info.GrantedBy = grant.GrantedBy;
                info.GrantedAt = TryParseTime(grant.GrantedAt);
                info.ExpiresAt = TryParseTime(grant.ExpiresAt);
                info.MaxOrderValue = grant.MaxOrderValue;
                info.ValueCurrency = grant.MaxOrderValue.HasValue ? grant.ValueCurrency : null;
                info.MaxOrdersPerDay = grant.MaxOrdersPerDay;
                info.AllowedSymbols = grant.AllowedSymbols.ToArray();
            }
            info.Level = LevelOf(verdict);
            info.IntegrityValid = verdict.State != GrantState.IntegrityFailed;
            return info;
        }

        /// <summary>The stored grant checked against every authenticated fact, on a snapshot of the database.</summary>
        /// <exception cref="CtException">AuditLogTampered: the facts themselves cannot be trusted.</exception>
        internal GrantVerdict Evaluate(KeyRing ring, string exchange, string name, KeyStores.KeyRingProvider? keyRings = null)
        {
            return new AuditLog(database, database.Home, ring, string.Empty, keyRings).Read(snapshot => Evaluate(exchange, name, snapshot));
        }

        /// <summary>The stored grant checked against every authenticated fact, as of <paramref name="transaction"/>.</summary>
        internal GrantVerdict Evaluate(string exchange, string name, AuditTransaction transaction)
        {
            var ring = transaction.Ring;
            var grant = grants.Find(exchange, name, transaction.Transaction);
            var latest = transaction.Facts.LatestPermission(exchange, name);
            var reader = new AuditReader(database);
            var chain = new AuditChain(ring);
            AuditRecord? Sealed(long sequence) => reader.Find(sequence, transaction.Transaction) is { } record && chain.Seals(record) ? record : null;

            if (grant is null)
            {
                return latest != 0 && Sealed(latest) is { } last && Action(last) == Granted
                    ? new GrantVerdict(GrantState.IntegrityFailed, null, $"The audit log's latest permission record for {exchange}/{name} (record {latest}) grants trading, but the grant was deleted outside CryptoTrader: not honoured.")
                    : new GrantVerdict(GrantState.None, null, "No trading grant: read-only.");
            }
            if (grant.Unreadable || !GrantMac.Matches(ring, grant))
            {
                return new GrantVerdict(GrantState.IntegrityFailed, grant, "The stored grant failed its integrity check (changed outside CryptoTrader): not honoured.");
            }
            var origin = Sealed(grant.AuditSequence);
            if (origin is null || origin.EventType != AuditEventType.PermissionChanged || !Matches(origin.DetailsJson, grant))
            {
                return new GrantVerdict(GrantState.IntegrityFailed, grant, "The stored grant does not match the audit record that made it: not honoured.");
            }
            if (latest != grant.AuditSequence)
            {
                if (latest > grant.AuditSequence && Sealed(latest) is { } expiry && Action(expiry) == Expired
                    && Equals(expiry.Details["grant_sequence"], grant.AuditSequence))
                {
                    return new GrantVerdict(GrantState.Expired, grant, $"The grant expired at {grant.ExpiresAt}: read-only.", expiryRecorded: true);
                }
                return new GrantVerdict(GrantState.IntegrityFailed, grant, "The stored grant was revoked or replaced later (it was put back into the database): not honoured.");
            }
            if (grant.ExpiresAt != null && AuditTime.Parse(grant.ExpiresAt) <= DateTime.UtcNow)
            {
                return new GrantVerdict(GrantState.Expired, grant, $"The grant expired at {grant.ExpiresAt}: read-only.", expiryRecorded: false);
            }
            return new GrantVerdict(GrantState.Valid, grant, grant.ExpiresAt is null ? "Trading enabled, no expiry." : $"Trading enabled until {grant.ExpiresAt}.");
        }

        /// <summary>Records, in <paramref name="transaction"/>, that a grant the gate found past its time has expired.</summary>
        internal static void RecordExpiry(AuditTransaction transaction, TradingGrant grant) =>
            transaction.Append(AuditEventType.PermissionChanged, Describe(grant, Expired, "TradingEnabled", "ReadOnly").Add("grant_sequence", grant.AuditSequence));

        internal static AuditDetails Describe(TradingGrant grant, string action, string before, string after) => new AuditDetails()
            .Add("exchange", grant.Exchange)
            .Add("name", grant.Name)
            .Add("action", action)
            .Add("level_before", before)
            .Add("level_after", after)
            .Add("granted_by", grant.GrantedBy)
            .Add("expires_at", grant.ExpiresAt)
            .Add("max_order_value", grant.MaxOrderValue?.ToString(CultureInfo.InvariantCulture))
            .Add("value_currency", grant.MaxOrderValue.HasValue ? grant.ValueCurrency : null)
            .Add("max_orders_per_day", grant.MaxOrdersPerDay.HasValue ? grant.MaxOrdersPerDay.Value.ToString(CultureInfo.InvariantCulture) : null)
            .Add("allowed_symbols", grant.AllowedSymbols.Count == 0 ? null : string.Join(",", grant.AllowedSymbols));

        /// <summary>The grant row as stored, unchecked (for a report made without the key ring).</summary>
        internal TradingGrant? FindStored(string exchange, string name) => grants.Find(exchange, name);

        private static string LevelOf(GrantVerdict verdict) => verdict.State == GrantState.Valid ? "TradingEnabled" : "ReadOnly";

        private static string? Action(AuditRecord record) => record.Details["action"] as string;

        // The record that made the grant says what it allowed; the row must say the same. Grants made before grants
        // recorded a currency have no value_currency detail (their limit was in USD).
        private static bool Matches(string originDetails, TradingGrant grant)
        {
            var expected = Describe(grant, Granted, "-", "TradingEnabled");
            var actual = AuditJson.ReadDetails(originDetails);
            foreach (var pair in expected.Values)
            {
                if (pair.Key == "level_before" || (pair.Key == "value_currency" && !grant.CurrencyRecorded))
                {
                    continue;
                }
                if (!Equals(actual[pair.Key], pair.Value))
                {
                    return false;
                }
            }
            return true;
        }

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
            if (!Trading.OrderValidation.IsCurrency(limits.ValueCurrency))
            {
                throw Invalid("ValueCurrency is a currency code of 2 to 10 upper-case letters or digits, for example USD, EUR or BTC.");
            }
        }

        // A grant that failed its integrity check may hold anything; show what parses.
        private static DateTime? TryParseTime(string? value) =>
            DateTime.TryParseExact(value, AuditTime.Pattern, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed) ? DateTime.SpecifyKind(parsed, DateTimeKind.Utc) : null;

        private static CtException Invalid(string message) => new CtException(ErrorIds.InvalidGrant, CtErrorKind.InvalidArgument, message, null);
    }
}
