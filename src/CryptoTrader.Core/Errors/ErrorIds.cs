namespace CryptoTrader.Core.Errors
{
    /// <summary>Every ErrorId the module can raise, in one place so tests and scripts can rely on them.</summary>
    public static class ErrorIds
    {
        public const string DataFolderUnavailable = "DataFolderUnavailable";
        public const string DataFolderInsecure = "DataFolderInsecure";
        public const string DatabaseUnavailable = "DatabaseUnavailable";
        public const string DatabaseCorrupt = "DatabaseCorrupt";
        public const string DatabaseMissing = "DatabaseMissing";
        public const string DatabaseTooNew = "DatabaseTooNew";
        public const string InvalidSetting = "InvalidSetting";
        public const string VaultNotRegistered = "VaultNotRegistered";
        public const string KeyStoreLocked = "KeyStoreLocked";
        public const string KeyStoreUnavailable = "KeyStoreUnavailable";
        public const string KeyStoreReadOnly = "KeyStoreReadOnly";
        public const string KeyFileInsecure = "KeyFileInsecure";
        public const string KeyFileCorrupt = "KeyFileCorrupt";
        public const string WrongPassphrase = "WrongPassphrase";
        public const string WeakPassphrase = "WeakPassphrase";
        public const string KeyRingMissing = "KeyRingMissing";
        public const string KeyRingInvalid = "KeyRingInvalid";
        public const string KeyRingMismatch = "KeyRingMismatch";
        public const string EnvironmentKeyMissing = "EnvironmentKeyMissing";
        public const string EnvironmentKeyInvalid = "EnvironmentKeyInvalid";
        public const string KeyStoreNotUnlockable = "KeyStoreNotUnlockable";
        public const string PassphraseRequired = "PassphraseRequired";
        public const string KeyRingLockTimeout = "KeyRingLockTimeout";
        public const string KeyStoreOccupied = "KeyStoreOccupied";
        public const string KeyRingCopyMismatch = "KeyRingCopyMismatch";
        public const string PassphrasesDiffer = "PassphrasesDiffer";
        public const string PasswordNotApplicable = "PasswordNotApplicable";
        public const string AuditWriteFailed = "AuditWriteFailed";
        public const string AuditKeyMissing = "AuditKeyMissing";
        public const string InvalidAuditHead = "InvalidAuditHead";
        public const string AuditLogTampered = "AuditLogTampered";
        public const string AuditLogRolledBack = "AuditLogRolledBack";
        public const string ExportFileExists = "ExportFileExists";
        public const string ExportFailed = "ExportFailed";
        public const string UnknownExchange = "UnknownExchange";
        public const string InvalidCredentialName = "InvalidCredentialName";
        public const string InvalidApiKey = "InvalidApiKey";
        public const string InvalidApiSecret = "InvalidApiSecret";
        public const string ApiSecretRequired = "ApiSecretRequired";
        public const string CredentialNotFound = "CredentialNotFound";
        public const string CredentialIntegrityFailed = "CredentialIntegrityFailed";
        public const string RotationFailed = "RotationFailed";
        public const string TradingNotEnabled = "TradingNotEnabled";
        public const string TradingPermissionExpired = "TradingPermissionExpired";
        public const string GrantIntegrityFailed = "GrantIntegrityFailed";
        public const string OrderValueOverLimit = "OrderValueOverLimit";
        public const string OrderValueUnknown = "OrderValueUnknown";
        public const string SymbolNotAllowed = "SymbolNotAllowed";
        public const string DailyOrderLimitReached = "DailyOrderLimitReached";
        public const string PermissionCheckFailed = "PermissionCheckFailed";
        public const string InvalidOrder = "InvalidOrder";
        public const string TradeFailed = "TradeFailed";
        public const string ExchangeRequestFailed = "ExchangeRequestFailed";
        public const string InvalidGrant = "InvalidGrant";
        public const string ExchangeAuthenticationFailed = "ExchangeAuthenticationFailed";
        public const string ExchangePermissionDenied = "ExchangePermissionDenied";
        public const string KeyCannotTrade = "KeyCannotTrade";
        public const string KeyringUnavailable = "KeyringUnavailable";
        public const string KeyringServiceMissing = "KeyringServiceMissing";
        public const string KeyringLocked = "KeyringLocked";
        public const string KeyringItemUnreadable = "KeyringItemUnreadable";
        public const string KeyringItemTooLarge = "KeyringItemTooLarge";
        public const string KeyringFailed = "KeyringFailed";
        // What an exchange answered (ExchangeException): kept in the ErrorRecord and the TRADE_FAILED record.
        public const string OrderNotFound = "OrderNotFound";
        public const string OrderNotOpen = "OrderNotOpen";
        public const string OrderRejected = "OrderRejected";
        public const string CancelRejected = "CancelRejected";
        public const string InsufficientFunds = "InsufficientFunds";
        public const string UnknownSymbol = "UnknownSymbol";
        public const string ExchangeResponseInvalid = "ExchangeResponseInvalid";
        public const string ExchangeTimeout = "ExchangeTimeout";
        public const string ExchangeUnreachable = "ExchangeUnreachable";
        public const string ExchangeRateLimited = "ExchangeRateLimited";
        public const string ExchangeUnavailable = "ExchangeUnavailable";
        public const string ExchangeRequestRefused = "ExchangeRequestRefused";
        public const string SecurityCheckFailed = "SecurityCheckFailed";
        public const string UnknownSecurityCheck = "UnknownSecurityCheck";
    }
}
