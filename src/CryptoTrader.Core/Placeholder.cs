namespace CryptoTrader.Core { internal static class Placeholder { } }
