using System;
using CryptoTrader.Core.KeyStores.Keyring;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// Decides which store holds the key ring. An explicit Set-CtConfig -KeyStore wins. Otherwise the store
    /// that already holds this database's key ring; otherwise, for a new database: CRYPTOTRADER_MASTER_KEY when
    /// set (development), a registered SecretManagement vault, else the OS keyring when it is available and unlocked, else the encrypted key file.
    /// </summary>
    public static class KeyStoreSelector
    {
        /// <param name="configured">The Set-CtConfig -KeyStore setting.</param>
        /// <param name="configuredVault">The Set-CtConfig -Vault setting (null: default vault).</param>
        /// <param name="pinned">The store recorded when this database's key ring was first used, if any.</param>
        /// <param name="environmentKeySet">Whether CRYPTOTRADER_MASTER_KEY is set.</param>
        /// <param name="findVault">Returns the registered vault to use (configured or default), or null when SecretManagement is not importable or has no vault. Called only when needed: it is slow.</param>
        /// <param name="probeKeyring">Whether the OS keyring is available and unlocked (a short probe); null: not considered.</param>
        public static KeyStoreChoice Select(KeyStoreKind configured, string? configuredVault, KeyStoreKind? pinned,
            bool environmentKeySet, Func<string?> findVault, Func<KeyringProbe>? probeKeyring = null)
        {
            if (configured != KeyStoreKind.Auto)
            {
                return new KeyStoreChoice(configured, "set with Set-CtConfig -KeyStore " + configured, configuredVault);
            }
            if (pinned.HasValue && pinned.Value != KeyStoreKind.Auto)
            {
                return new KeyStoreChoice(pinned.Value,
                    $"automatic: this database's key ring is kept in the {pinned.Value} store", configuredVault);
            }
            if (environmentKeySet)
            {
                return new KeyStoreChoice(KeyStoreKind.Environment,
                    "automatic: " + EnvironmentKeyStore.VariableName + " is set (development only)");
            }
            var vault = findVault();
            if (vault != null)
            {
                return new KeyStoreChoice(KeyStoreKind.SecretManagement,
                    $"automatic: SecretManagement vault '{vault}' is registered", configuredVault);
            }
            if (probeKeyring is null)
            {
                return new KeyStoreChoice(KeyStoreKind.File,
                    "automatic: no SecretManagement vault is registered, so the encrypted key file is used");
            }
            var probe = probeKeyring();
            return probe.Usable
                ? new KeyStoreChoice(KeyStoreKind.Keyring, "automatic: no SecretManagement vault is registered; " + probe.Reason)
                : new KeyStoreChoice(KeyStoreKind.File,
                    "automatic: no SecretManagement vault is registered and " + probe.Reason + ", so the encrypted key file is used");
        }
    }
}
