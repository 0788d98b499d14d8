using System;
using CryptoTrader.Core.KeyStores;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    public sealed class KeyStoreSelectorTests
    {
        private static readonly Func<string?> MustNotAskForAVault =
            () => throw new InvalidOperationException("findVault must not be called when an earlier rule decides");

        [Theory]
        [InlineData(KeyStoreKind.File)]
        [InlineData(KeyStoreKind.SecretManagement)]
        [InlineData(KeyStoreKind.Environment)]
        public void AnExplicitSetting_Wins_OverPinnedAndEnvironment(KeyStoreKind configured)
        {
            KeyStoreChoice choice = KeyStoreSelector.Select(configured, "MyVault", pinned: KeyStoreKind.SecretManagement == configured ? KeyStoreKind.File : KeyStoreKind.SecretManagement,
                environmentKeySet: true, findVault: MustNotAskForAVault);

            Assert.Equal(configured, choice.Kind);
            Assert.Equal("MyVault", choice.Vault);
            Assert.Contains("Set-CtConfig -KeyStore " + configured, choice.Reason);
        }

        [Theory]
        [InlineData(KeyStoreKind.File)]
        [InlineData(KeyStoreKind.SecretManagement)]
        [InlineData(KeyStoreKind.Environment)]
        public void ThePinnedStore_WinsOverTheEnvironmentVariableAndVaults(KeyStoreKind pinned)
        {
            KeyStoreChoice choice = KeyStoreSelector.Select(KeyStoreKind.Auto, "MyVault", pinned, environmentKeySet: true, findVault: MustNotAskForAVault);

            Assert.Equal(pinned, choice.Kind);
            Assert.Equal("MyVault", choice.Vault);
            Assert.Contains("automatic", choice.Reason);
            Assert.Contains(pinned.ToString(), choice.Reason);
        }

        [Fact]
        public void APinnedAuto_IsIgnored()
        {
            KeyStoreChoice choice = KeyStoreSelector.Select(KeyStoreKind.Auto, null, KeyStoreKind.Auto, environmentKeySet: true, findVault: MustNotAskForAVault);

            Assert.Equal(KeyStoreKind.Environment, choice.Kind);
        }

        [Fact]
        public void TheEnvironmentVariable_WinsOverVaults_ForANewDatabase()
        {
            KeyStoreChoice choice = KeyStoreSelector.Select(KeyStoreKind.Auto, "MyVault", pinned: null, environmentKeySet: true, findVault: MustNotAskForAVault);

            Assert.Equal(KeyStoreKind.Environment, choice.Kind);
            Assert.Contains(EnvironmentKeyStore.VariableName, choice.Reason);
            Assert.Contains("development", choice.Reason);
        }

        [Fact]
        public void ARegisteredVault_IsUsedNext()
        {
            int calls = 0;
            KeyStoreChoice choice = KeyStoreSelector.Select(KeyStoreKind.Auto, "Configured", pinned: null, environmentKeySet: false,
                findVault: () => { calls++; return "FoundVault"; });

            Assert.Equal(1, calls);
            Assert.Equal(KeyStoreKind.SecretManagement, choice.Kind);
            Assert.Equal("Configured", choice.Vault);
            Assert.Contains("'FoundVault'", choice.Reason);
        }

        [Fact]
        public void WithNothingElse_TheKeyFileIsUsed()
        {
            int calls = 0;
            KeyStoreChoice choice = KeyStoreSelector.Select(KeyStoreKind.Auto, null, pinned: null, environmentKeySet: false,
                findVault: () => { calls++; return null; });

            Assert.Equal(1, calls);
            Assert.Equal(KeyStoreKind.File, choice.Kind);
            Assert.Null(choice.Vault);
            Assert.Contains("encrypted key file", choice.Reason);
        }
    }
}
