using System;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.KeyStores;
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

        public KeyStoreChoice Choice => choice ??= KeyStoreSelector.Select(Current.KeyStore, Current.Vault, Current.PinnedKeyStore,
            EnvironmentKeyStore.IsSet, () => SecretManagementKeyStore.FindRegisteredVault(Current.Vault));

        public IKeyStore Store => store ??= CreateStore(Choice);

        public static CtSession Open()
        {
            var home = DataHome.Resolve().EnsureCreated();
            return new CtSession(home, CtDatabase.Open(home));
        }

        public KeyRingProvider KeyRings() => new KeyRingProvider(Home, Settings, Store);

        /// <summary>Re-reads the settings after a change, and chooses the store again.</summary>
        public void Reload()
        {
            Current = CtSettings.Read(Settings);
            choice = null;
            store = null;
        }

        public void Dispose() => Database.Dispose();

        private IKeyStore CreateStore(KeyStoreChoice chosen) => chosen.Kind switch
        {
            KeyStoreKind.Environment => new EnvironmentKeyStore(),
            KeyStoreKind.SecretManagement => new SecretManagementKeyStore(chosen.Vault, Current.KeyRingSecretName),
            _ => new EncryptedFileKeyStore(Home.KeyFilePath),
        };
    }
}
