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

        public int? MaxOrdersPerDay { get; set; }

        /// <summary>Upper-case symbols; empty means any.</summary>
        public IReadOnlyList<string> AllowedSymbols { get; set; } = Array.Empty<string>();

        /// <summary>The PERMISSION_CHANGED record that made this grant.</summary>
        public long AuditSequence { get; set; }

        public string KeyId { get; set; } = string.Empty;

        public string Mac { get; set; } = string.Empty;

        public bool ExpiryRecorded { get; set; }

        /// <summary>The row could not be read (a value changed into something unparsable): it fails the integrity check.</summary>
        public bool Unreadable { get; set; }
    }
}
