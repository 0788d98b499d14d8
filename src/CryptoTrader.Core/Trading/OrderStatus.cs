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
    }
}
