namespace CryptoTrader
{
    /// <summary>What Get-CtConfig shows: each setting, named like its Set-CtConfig parameter, and the store in use.</summary>
    public sealed class ConfigInfo
    {
        /// <summary>The configured key store kind (Auto unless set).</summary>
        public string KeyStore { get; set; } = "Auto";

        /// <summary>The configured SecretManagement vault; empty means the default vault.</summary>
        public string? Vault { get; set; }

        /// <summary>The configured audit user id; empty means the OS user name.</summary>
        public string? AuditUserId { get; set; }

        /// <summary>API keys older than this many days draw a warning (default 90).</summary>
        public int MaxApiKeyAgeDays { get; set; }

        /// <summary>How long an unlocked key ring is kept in memory after it is read; empty: until Lock-CtKeyStore or the end of the session.</summary>
        public System.TimeSpan? UnlockTimeout { get; set; }

        /// <summary>The Coinbase Advanced Trade base URL (https:// only).</summary>
        public string CoinbaseBaseUrl { get; set; } = string.Empty;

        /// <summary>The user id audit records carry right now.</summary>
        public string EffectiveAuditUserId { get; set; } = string.Empty;

        /// <summary>The store actually in use.</summary>
        public string KeyStoreInUse { get; set; } = string.Empty;

        /// <summary>Why that store is in use.</summary>
        public string KeyStoreReason { get; set; } = string.Empty;

        /// <summary>Where the key ring is: file path, vault and secret, or variable name.</summary>
        public string KeyStoreLocation { get; set; } = string.Empty;

        public string DataPath { get; set; } = string.Empty;

        /// <summary>Why the data folder is where it is (CRYPTOTRADER_HOME or per-user default).</summary>
        public string DataPathSource { get; set; } = string.Empty;

        public string DatabasePath { get; set; } = string.Empty;

        public int SchemaVersion { get; set; }
    }
}
