using System;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.KeyStores.Keyring;
using CryptoTrader.Core.Storage;
using CryptoTrader.PowerShell.KeyStores;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>Everything one cmdlet call needs: data folder, open database, settings and the chosen key store.</summary>
    internal sealed class CtSession : IDisposable
    {
        private KeyStoreChoice? choice;
        private IKeyStore? store;

        private CtSession(DataHome home, CtDatabase database)
        {
            Home = home;
            Database = database;
            Settings = new SettingsStore(database);
            Current = CtSettings.Read(Settings);
        }

        public DataHome Home { get; }

        public CtDatabase Database { get; }

        public SettingsStore Settings { get; }

        public CtSettings Current { get; private set; }

        public KeyStoreChoice Choice => choice ??= Choose(Current);

        public IKeyStore Store => store ??= CreateStore(Choice, Current);

        public static CtSession Open()
        {
            // CtDatabase.Open creates and secures the folder first.
            var home = DataHome.Resolve();
            return new CtSession(home, CtDatabase.Open(home));
        }

        public KeyRingProvider KeyRings() => new KeyRingProvider(Home, Settings, Store);

        /// <summary>The provider of the store that the given (not yet saved) settings would use.</summary>
        public KeyRingProvider KeyRingsFor(CtSettings settings) => new KeyRingProvider(Home, Settings, CreateStore(Choose(settings), settings));

        /// <summary>A store of the given kind for this data folder (Move-CtKeyRing's target); a SecretManagement store names its vault.</summary>
        public IKeyStore StoreFor(KeyStoreKind kind, string? vault)
        {
            if (kind != KeyStoreKind.SecretManagement)
            {
                return CreateStore(new KeyStoreChoice(kind, "requested"), Current);
            }
            var found = SecretManagementKeyStore.FindRegisteredVault(vault) ?? throw new CtException(ErrorIds.KeyStoreUnavailable, CtErrorKind.ResourceUnavailable,
                vault is null
                    ? "No SecretManagement vault is registered (or Microsoft.PowerShell.SecretManagement is not installed). Register one with Register-SecretVault, or name it with -Vault."
                    : $"No SecretManagement vault named '{vault}' is registered. Check the name with Get-SecretVault.",
                vault ?? SecretManagementKeyStore.ModuleName);
            return new SecretManagementKeyStore(found, Current.KeyRingSecretName);
        }

        /// <summary>Re-reads the settings after a change, and chooses the store again.</summary>
        public void Reload()
        {
            Current = CtSettings.Read(Settings);
            choice = null;
            store = null;
        }

        public void Dispose() => Database.Dispose();

        private static KeyStoreChoice Choose(CtSettings settings) => KeyStoreSelector.Select(settings.KeyStore, settings.Vault, settings.PinnedKeyStore,
            EnvironmentKeyStore.IsSet, () => SecretManagementKeyStore.FindRegisteredVault(settings.Vault), () => KeyringBackends.ForCurrentPlatform().Probe());

        private IKeyStore CreateStore(KeyStoreChoice chosen, CtSettings settings) => chosen.Kind switch
        {
            KeyStoreKind.Environment => new EnvironmentKeyStore(),
            // Always name the vault: without -Vault, Get-Secret falls through to every other registered vault.
            KeyStoreKind.SecretManagement => new SecretManagementKeyStore(
                chosen.Vault ?? SecretManagementKeyStore.FindRegisteredVault(null), settings.KeyRingSecretName),
            KeyStoreKind.Keyring => new KeyringKeyStore(KeyringBackends.ForCurrentPlatform(), Home.Path),
            _ => new EncryptedFileKeyStore(Home.KeyFilePath),
        };
    }
}
