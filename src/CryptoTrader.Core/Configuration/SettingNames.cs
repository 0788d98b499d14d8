namespace CryptoTrader.Core.Configuration
{
    /// <summary>Names of the rows in the settings table.</summary>
    public static class SettingNames
    {
        public const string DatabaseId = "database_id";
        public const string KeyStore = "key_store";
        public const string Vault = "vault";
        public const string AuditUserId = "audit_user_id";
        public const string MaxApiKeyAgeDays = "max_api_key_age_days";
        public const string CoinbaseBaseUrl = "coinbase_base_url";

        /// <summary>The store that holds this database's key ring, pinned when the ring is created.</summary>
        public const string KeyRingStore = "key_ring_store";
        public const string KeyRingCreated = "key_ring_created";

        /// <summary>The store a Move-CtKeyRing switched away from while its old copy is not yet deleted ("Kind" or "SecretManagement:vault").</summary>
        public const string KeyRingMovedFrom = "key_ring_moved_from";

        /// <summary>How long an unlocked key ring is kept in memory ("hh:mm:ss"); absent: until Lock-CtKeyStore or the end of the session.</summary>
        public const string UnlockTimeout = "unlock_timeout";

        /// <summary>The primary key id after the last rotation, so a process holding an older ring reloads it.</summary>
        public const string KeyRingPrimary = "key_ring_primary";

        /// <summary>The last position Test-CtAuditLog verified (AuditCheckpoint), MAC'd.</summary>
        public const string AuditCheckpoint = "audit_checkpoint";
    }
}
