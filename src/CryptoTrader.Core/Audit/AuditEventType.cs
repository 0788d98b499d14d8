using System.Collections.Generic;

namespace CryptoTrader.Core.Audit
{
    /// <summary>The event types an audit record can have.</summary>
    public static class AuditEventType
    {
        public const string ApiKeyChanged = "API_KEY_CHANGED";
        public const string PermissionChanged = "PERMISSION_CHANGED";
        public const string TradeRequested = "TRADE_REQUESTED";
        public const string TradeExecuted = "TRADE_EXECUTED";
        public const string TradeRejected = "TRADE_REJECTED";
        public const string TradeFailed = "TRADE_FAILED";
        public const string ConfigChanged = "CONFIG_CHANGED";
        public const string EncryptionKeyCreated = "ENCRYPTION_KEY_CREATED";
        public const string EncryptionKeyRotated = "ENCRYPTION_KEY_ROTATED";
        public const string Error = "ERROR";

        public static IReadOnlyList<string> All { get; } = new[]
        {
            ApiKeyChanged, PermissionChanged, TradeRequested, TradeExecuted, TradeRejected, TradeFailed,
            ConfigChanged, EncryptionKeyCreated, EncryptionKeyRotated, Error,
        };
    }
}
