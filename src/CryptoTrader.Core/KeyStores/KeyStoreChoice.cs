namespace CryptoTrader.Core.KeyStores
{
    /// <summary>The store the module uses, and why (shown by Get-CtConfig).</summary>
    public sealed class KeyStoreChoice
    {
        public KeyStoreChoice(KeyStoreKind kind, string reason, string? vault = null)
        {
            Kind = kind;
            Reason = reason;
            Vault = vault;
        }

        public KeyStoreKind Kind { get; }

        public string Reason { get; }

        /// <summary>The SecretManagement vault to use; null means the default vault.</summary>
        public string? Vault { get; }
    }
}
