using System;
using System.Collections.Generic;
using System.Text;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.KeyStores.Keyring;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    /// <summary>The keyring store against a real gnome-keyring on a private session bus (no mocks of D-Bus).</summary>
    public sealed class SecretServiceBackendTests : IDisposable
    {
        private readonly TempFolder data = new TempFolder();
        private TestKeyring? keyring;

        private TestKeyring Keyring => keyring ??= new TestKeyring();

        public void Dispose()
        {
            keyring?.Dispose();
            data.Dispose();
        }

        [SecretServiceFact]
        public void TheKeyRing_IsStoredReadUpdatedInPlaceAndDeleted()
        {
            var store = new KeyringKeyStore(new SecretServiceBackend(Keyring.Address), data.Path);
            Assert.Null(store.Load());

            var ring = KeyRing.CreateNew();
            store.Save(ring);
            Assert.Equal(ring.Serialize(), store.Load()!.Serialize());

            // Cross-check: the item really is in the daemon, under the documented attributes.
            var lookup = Keyring.SecretTool("lookup", "application", "CryptoTrader", "data-folder", data.Path);
            Assert.Equal(0, lookup.ExitCode);
            Assert.Equal(ring.Serialize(), lookup.Output.TrimEnd('\n'));

            var rotated = ring.WithNewPrimary(out _);
            store.Save(rotated);
            Assert.Equal(rotated.Serialize(), store.Load()!.Serialize());
            var search = Keyring.SecretTool("search", "--all", "application", "CryptoTrader", "data-folder", data.Path);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(search.Output, "^\\[/", System.Text.RegularExpressions.RegexOptions.Multiline));
            Assert.Contains("label = CryptoTrader key ring (" + data.Path + ")", search.Output);

            Assert.True(store.Delete());
            Assert.Null(store.Load());
            Assert.False(store.Delete());
            Assert.Equal(1, Keyring.SecretTool("lookup", "application", "CryptoTrader", "data-folder", data.Path).ExitCode);
        }

        [SecretServiceFact]
        public void AnItemWrittenBySecretTool_IsRead_AndEachDataFolderHasItsOwn()
        {
            var backend = new SecretServiceBackend(Keyring.Address);
            var key = new KeyringItemKey(new Dictionary<string, string> { ["application"] = "CryptoTrader", ["data-folder"] = "/elsewhere" });
            Assert.Null(backend.Read(key));
            backend.Write(key, "other", Encoding.UTF8.GetBytes("not a key ring"));
            Assert.Equal("not a key ring", Encoding.UTF8.GetString(backend.Read(key)!));
            Assert.Null(new KeyringKeyStore(backend, data.Path).Load());

            var store = new KeyringKeyStore(backend, "/elsewhere");
            var error = Assert.Throws<CtException>(() => store.Load());
            Assert.Equal(ErrorIds.KeyringItemUnreadable, error.ErrorId);
            Assert.DoesNotContain("not a key ring", error.Message);
        }

        [SecretServiceFact]
        public void TheProbe_SaysAvailableAndUnlocked()
        {
            var probe = new SecretServiceBackend(Keyring.Address).Probe();
            Assert.True(probe.Usable, probe.Reason);
            Assert.Contains("available and unlocked", probe.Reason);
        }

        [SecretServiceFact]
        public void ALockedCollection_GivesTheLockedError_WithHowToUnlock_AndNoPrompt()
        {
            var backend = new SecretServiceBackend(Keyring.Address);
            var store = new KeyringKeyStore(backend, data.Path);
            store.Save(KeyRing.CreateNew());
            Assert.True(backend.LockDefaultCollection());

            var read = Assert.Throws<CtException>(() => store.Load());
            Assert.Equal(ErrorIds.KeyringLocked, read.ErrorId);
            Assert.Contains("gnome-keyring-daemon --unlock", read.Message);
            var write = Assert.Throws<CtException>(() => store.Save(KeyRing.CreateNew()));
            Assert.Equal(ErrorIds.KeyringLocked, write.ErrorId);
            Assert.False(backend.Probe().Usable);
            Assert.Contains("locked", backend.Probe().Reason);
        }

        [SecretServiceFact]
        public void ABusWithoutSecretService_GivesTheServiceMissingError()
        {
            using var bare = new TestKeyring(withKeyring: false);
            var store = new KeyringKeyStore(new SecretServiceBackend(bare.Address), data.Path);
            var error = Assert.Throws<CtException>(() => store.Load());
            Assert.Equal(ErrorIds.KeyringServiceMissing, error.ErrorId);
            Assert.Contains("org.freedesktop.secrets", error.Message);
        }
    }

    [Collection(EnvironmentCollection.Name)]
    public sealed class SecretServiceUnavailableTests
    {
        [Fact]
        public void NoSessionBus_GivesTheUnavailableError()
        {
            using var scope = new EnvironmentScope().Set(SecretServiceBackend.BusAddressVariable, null);
            using var data = new TempFolder();
            var store = new KeyringKeyStore(new SecretServiceBackend(), data.Path);
            var error = Assert.Throws<CtException>(() => store.Load());
            Assert.Equal(ErrorIds.KeyringUnavailable, error.ErrorId);
            Assert.Contains("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)", error.Message);
            Assert.Equal(ErrorIds.KeyringUnavailable, Assert.Throws<CtException>(() => store.Save(KeyRing.CreateNew())).ErrorId);
        }

        [Fact]
        public void ADeadBusSocket_GivesTheUnavailableError()
        {
            var backend = new SecretServiceBackend("unix:path=/tmp/ct-no-such-bus-" + Guid.NewGuid().ToString("N"));
            var error = Assert.Throws<CtException>(() => backend.Read(KeyringKeyStore.ItemKey("/tmp")));
            Assert.Equal(ErrorIds.KeyringUnavailable, error.ErrorId);
            Assert.Contains("does not answer", error.Message);
        }

        [Fact]
        public void WithoutABus_TheAutomaticSelection_FallsBackToTheEncryptedFile()
        {
            using var scope = new EnvironmentScope().Set(SecretServiceBackend.BusAddressVariable, null);
            var choice = KeyStoreSelector.Select(KeyStoreKind.Auto, null, null, environmentKeySet: false, findVault: () => null,
                probeKeyring: () => new SecretServiceBackend().Probe());
            Assert.Equal(KeyStoreKind.File, choice.Kind);
            Assert.Contains("DBUS_SESSION_BUS_ADDRESS is not set", choice.Reason);
            Assert.Contains("encrypted key file", choice.Reason);

            var dead = KeyStoreSelector.Select(KeyStoreKind.Auto, null, null, environmentKeySet: false, findVault: () => null,
                probeKeyring: () => new SecretServiceBackend("unix:path=/tmp/ct-no-such-bus").Probe());
            Assert.Equal(KeyStoreKind.File, dead.Kind);
        }

        [SecretServiceFact]
        public void WithAnUnlockedKeyring_TheAutomaticSelection_ChoosesIt_ButAVaultWins()
        {
            using var keyring = new TestKeyring();
            var choice = KeyStoreSelector.Select(KeyStoreKind.Auto, null, null, environmentKeySet: false, findVault: () => null,
                probeKeyring: () => new SecretServiceBackend(keyring.Address).Probe());
            Assert.Equal(KeyStoreKind.Keyring, choice.Kind);
            Assert.Equal("automatic: no SecretManagement vault is registered; the OS keyring (Secret Service) is available and unlocked", choice.Reason);

            var vault = KeyStoreSelector.Select(KeyStoreKind.Auto, null, null, environmentKeySet: false, findVault: () => "MyVault",
                probeKeyring: () => throw new InvalidOperationException("a registered vault decides first"));
            Assert.Equal(KeyStoreKind.SecretManagement, vault.Kind);
        }
    }
}
