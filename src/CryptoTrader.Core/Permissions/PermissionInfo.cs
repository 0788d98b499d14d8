using System;

namespace CryptoTrader
{
    /// <summary>What a credential may do, as Get-CtPermission shows it.</summary>
    public sealed class PermissionInfo
    {
        public string Exchange { get; internal set; } = string.Empty;

        public string Name { get; internal set; } = string.Empty;

        /// <summary>The level in force: ReadOnly or TradingEnabled (an expired or invalid grant counts as ReadOnly).</summary>
        public string Level { get; internal set; } = "ReadOnly";

        public string? GrantedBy { get; internal set; }

        public DateTime? GrantedAt { get; internal set; }

        public DateTime? ExpiresAt { get; internal set; }

        public decimal? MaxOrderValue { get; internal set; }

        /// <summary>The currency MaxOrderValue is in (orders quoted in another are converted at the exchange's price).</summary>
        public string? ValueCurrency { get; internal set; }

        public int? MaxOrdersPerDay { get; internal set; }

        public string[] AllowedSymbols { get; internal set; } = Array.Empty<string>();

        /// <summary>False when a stored grant failed its integrity check (and is therefore not honoured).</summary>
        public bool IntegrityValid { get; internal set; } = true;

        /// <summary>Why the level is what it is.</summary>
        public string Status { get; internal set; } = string.Empty;
    }
}
