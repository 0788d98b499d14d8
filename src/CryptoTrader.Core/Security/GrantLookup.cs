using System;
using System.Globalization;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Permissions;

namespace CryptoTrader.Core.Security
{
    /// <summary>
    /// A credential's trading grant for the report: checked with the key ring when it can be read (as the trading
    /// gate does), otherwise taken as stored, unexpired, and marked unverified, so a missing ring hides nothing.
    /// </summary>
    internal sealed class GrantLookup
    {
        private readonly SecurityContext context;
        private readonly PermissionService permissions;

        public GrantLookup(SecurityContext context)
        {
            this.context = context;
            permissions = new PermissionService(context.Database);
        }

        public GrantStatus Find(string exchange, string name)
        {
            var ring = context.KeyRing;
            if (ring != null)
            {
                try
                {
                    var verdict = permissions.Evaluate(ring, exchange, name);
                    return new GrantStatus(verdict.State, verdict.Grant, verified: true);
                }
                catch (Errors.CtException e) when (e.ErrorId == Errors.ErrorIds.AuditLogTampered)
                {
                    // The gate refuses every trade on a tampered log; the report says the grant cannot be honoured.
                    return new GrantStatus(GrantState.IntegrityFailed, permissions.FindStored(exchange, name), verified: true);
                }
            }
            var stored = permissions.FindStored(exchange, name);
            if (stored is null)
            {
                return new GrantStatus(GrantState.None, null, verified: false);
            }
            if (stored.Unreadable)
            {
                return new GrantStatus(GrantState.IntegrityFailed, stored, verified: false);
            }
            // An expiry that does not parse was changed outside CryptoTrader: count the grant as live, so it is reported.
            var expired = stored.ExpiresAt != null
                && DateTime.TryParseExact(stored.ExpiresAt, AuditTime.Pattern, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var expires)
                && expires <= context.UtcNow;
            return new GrantStatus(expired ? GrantState.Expired : GrantState.Valid, stored, verified: false);
        }
    }

    internal sealed class GrantStatus
    {
        public GrantStatus(GrantState state, TradingGrant? grant, bool verified)
        {
            State = state;
            Grant = grant;
            Verified = verified;
        }

        /// <summary>Valid means trading is enabled (or, unverified, would be if the grant is genuine).</summary>
        public GrantState State { get; }

        public TradingGrant? Grant { get; }

        public bool Verified { get; }

        public bool TradingEnabled => State == GrantState.Valid;
    }
}
