namespace CryptoTrader.Core.Trading
{
    /// <summary>How the gate classifies an operation.</summary>
    internal static class ExchangeOperations
    {
        /// <summary>Only placing an order needs a grant: a cancel lowers the risk a revoked or expired grant left open.</summary>
        public static bool IsTrade(this ExchangeOperation operation) => operation == ExchangeOperation.PlaceOrder;
    }
}
