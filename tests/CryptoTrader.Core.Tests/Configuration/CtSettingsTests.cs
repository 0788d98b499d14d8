using System;
using System.Collections.Generic;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Configuration
{
    public sealed class CtSettingsTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();
        private readonly CtDatabase database;
        private readonly SettingsStore store;

        public CtSettingsTests()
        {
            database = CtDatabase.Open(DataHome.At(folder.Path));
            store = new SettingsStore(database);
        }

        public void Dispose()
        {
            database.Dispose();
            folder.Dispose();
        }

        [Fact]
        public void FreshDatabase_HasDefaults()
        {
            CtSettings settings = CtSettings.Read(store);

            Assert.Equal(KeyStoreKind.Auto, settings.KeyStore);
            Assert.Null(settings.PinnedKeyStore);
            Assert.Null(settings.Vault);
            Assert.Null(settings.AuditUserId);
            Assert.Equal(Environment.UserName, settings.EffectiveAuditUserId);
            Assert.Equal(store.Get(SettingNames.DatabaseId), settings.DatabaseId);
            Assert.Equal(32, settings.DatabaseId.Length);
            Assert.Equal("CryptoTrader.KeyRing." + settings.DatabaseId, settings.KeyRingSecretName);
        }

        [Theory]
        [InlineData("File", KeyStoreKind.File)]
        [InlineData("SecretManagement", KeyStoreKind.SecretManagement)]
        [InlineData("Environment", KeyStoreKind.Environment)]
        [InlineData("Auto", KeyStoreKind.Auto)]
        public void Read_ParsesTheKeyStoreKinds(string stored, KeyStoreKind expected)
        {
            store.Set(new Dictionary<string, string?> { [SettingNames.KeyStore] = stored, [SettingNames.KeyRingStore] = stored });

            CtSettings settings = CtSettings.Read(store);

            Assert.Equal(expected, settings.KeyStore);
            Assert.Equal(expected, settings.PinnedKeyStore);
        }

        [Theory]
        [InlineData("")]
        [InlineData("NoSuchStore")]
        [InlineData("9")]
        [InlineData("-1")]
        public void Read_IgnoresAnUnknownKind(string stored)
        {
            store.Set(new Dictionary<string, string?> { [SettingNames.KeyStore] = stored, [SettingNames.KeyRingStore] = stored });

            CtSettings settings = CtSettings.Read(store);

            Assert.Equal(KeyStoreKind.Auto, settings.KeyStore);
            Assert.Null(settings.PinnedKeyStore);
        }

        [Fact]
        public void Read_TakesVaultAndAuditUser()
        {
            store.Set(new Dictionary<string, string?> { [SettingNames.Vault] = "TeamVault", [SettingNames.AuditUserId] = "svc-trader" });

            CtSettings settings = CtSettings.Read(store);

            Assert.Equal("TeamVault", settings.Vault);
            Assert.Equal("svc-trader", settings.AuditUserId);
            Assert.Equal("svc-trader", settings.EffectiveAuditUserId);
        }
    }
}
