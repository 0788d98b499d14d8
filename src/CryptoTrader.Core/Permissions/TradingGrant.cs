using System;
using System.Collections.Generic;

namespace CryptoTrader.Core.Permissions
{
    /// <summary>A stored TradingEnabled grant, as read from the grants table (not yet checked).</summary>
    internal sealed class TradingGrant
    {
        public string Exchange { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string GrantedBy { get; set; } = string.Empty;

        public string GrantedAt { get; set; } = string.Empty;

        public string? ExpiresAt { get; set; }

        public decimal? MaxOrderValue { get; set; }

        /// <summary>The currency <see cref="MaxOrderValue"/> is in (USD for grants made before grants recorded one).</summary>
        public string ValueCurrency { get; set; } = GrantLimits.DefaultValueCurrency;

        /// <summary>False for a grant stored before grants recorded their currency: its MAC is the first version's.</summary>
        public bool CurrencyRecorded { get; set; } = true;

        public int? MaxOrdersPerDay { get; set; }

        /// <summary>Upper-case symbols; empty means any.</summary>
        public IReadOnlyList<string> AllowedSymbols { get; set; } = Array.Empty<string>();

        /// <summary>The PERMISSION_CHANGED record that made this grant.</summary>
        public long AuditSequence { get; set; }

        public string KeyId { get; set; } = string.Empty;

        public string Mac { get; set; } = string.Empty;

        /// <summary>The row could not be read (a value changed into something unparsable): it fails the integrity check.</summary>
        public bool Unreadable { get; set; }
    }
}
