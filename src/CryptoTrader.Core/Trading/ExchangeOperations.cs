namespace CryptoTrader.Core.Trading
{
    /// <summary>How the gate classifies an operation.</summary>
    internal static class ExchangeOperations
    {
        public static bool IsTrade(this ExchangeOperation operation) =>
            operation == ExchangeOperation.PlaceOrder || operation == ExchangeOperation.CancelOrder;
    }
}
