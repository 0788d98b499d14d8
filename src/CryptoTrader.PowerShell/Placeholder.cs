namespace CryptoTrader.PowerShell { internal static class Placeholder { } }
