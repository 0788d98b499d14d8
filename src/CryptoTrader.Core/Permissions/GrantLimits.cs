using System;
using System.Collections.Generic;

namespace CryptoTrader.Core.Permissions
{
    /// <summary>What Grant-CtTrading asks for: how long, and the limits each trade must respect.</summary>
    public sealed class GrantLimits
    {
        public const string DefaultValueCurrency = "USD";

        public TimeSpan? Duration { get; set; }

        public decimal? MaxOrderValue { get; set; }

        /// <summary>The currency of <see cref="MaxOrderValue"/>: an order quoted in another is converted at QUOTE-CURRENCY.</summary>
        public string ValueCurrency { get; set; } = DefaultValueCurrency;

        public int? MaxOrdersPerDay { get; set; }

        public IReadOnlyList<string> AllowedSymbols { get; set; } = Array.Empty<string>();
    }
}
