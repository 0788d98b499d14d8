using System;
using System.Collections.Generic;

namespace CryptoTrader.Core.Permissions
{
    /// <summary>What Grant-CtTrading asks for: how long, and the limits each trade must respect.</summary>
    public sealed class GrantLimits
    {
        public TimeSpan? Duration { get; set; }

        public decimal? MaxOrderValue { get; set; }

        public int? MaxOrdersPerDay { get; set; }

        public IReadOnlyList<string> AllowedSymbols { get; set; } = Array.Empty<string>();
    }
}
