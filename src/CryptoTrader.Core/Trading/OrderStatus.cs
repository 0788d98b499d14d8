using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Trading
{
    /// <summary>The statuses an <see cref="Order"/> reports, whatever the exchange calls them.</summary>
    public static class OrderStatus
    {
        public const string Open = "Open";
        public const string Filled = "Filled";
        public const string Cancelled = "Cancelled";
        public const string Expired = "Expired";
        public const string Failed = "Failed";
        public const string Pending = "Pending";
        public const string Unknown = "Unknown";

        public static IReadOnlyList<string> All { get; } = new[] { Open, Filled, Cancelled, Expired, Failed, Pending, Unknown };

        /// <summary>The status in its canonical spelling, or an InvalidOrder error that lists the valid ones.</summary>
        public static string Normalize(string status) =>
            All.FirstOrDefault(s => string.Equals(s, status?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new CtException(ErrorIds.InvalidOrder, CtErrorKind.InvalidArgument,
                $"An order status is one of {string.Join(", ", All)}.", "Status");
    }
}
