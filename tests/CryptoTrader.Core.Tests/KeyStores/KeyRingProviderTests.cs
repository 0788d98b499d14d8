using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    public sealed class KeyRingProviderTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();
        private readonly DataHome home;
        private readonly List<CtDatabase> databases = new List<CtDatabase>();

        public KeyRingProviderTests()
        {
            home = DataHome.At(folder.Combine("home"));
        }

        public void Dispose()
        {
            KeyRingCache.Forget(home.Path);
            foreach (CtDatabase database in databases)
            {
                database.Dispose();
            }

            folder.Dispose();
        }

        [Fact]
        public void FirstGetOrCreate_CreatesSavesAndPinsTheRing_AndRaisesKeyRingCreatedOnce()
        {
            var slot = new SharedSlot();
            SettingsStore settings = NewSettings();
            var provider = new KeyRingProvider(home, settings, new MemoryKeyStore(slot));
            var created = new List<KeyRing>();
            provider.KeyRingCreated += created.Add;
            DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-1);

            KeyRing ring = provider.GetOrCreate();
            KeyRing again = provider.GetOrCreate();

            Assert.Same(ring, again);
            Assert.Same(ring, Assert.Single(created));
            Assert.Equal(1, slot.Saves);
            Assert.Same(ring, slot.Ring);
            Assert.Single(ring.Keys);
            Assert.Equal("SecretManagement", settings.Get(SettingNames.KeyRingStore));
            DateTimeOffset stamp = DateTimeOffset.ParseExact(settings.Get(SettingNames.KeyRingCreated)!, "yyyy-MM-ddTHH:mm:ssZ",
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            Assert.InRange(stamp, before, DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.Equal(KeyStoreKind.SecretManagement, CtSettings.Read(settings).PinnedKeyStore);
        }

        [Fact]
        public void ASecondProvider_GetsTheSameRing_FromTheCache_ThenAfterForgetFromTheStore()
        {
            var slot = new SharedSlot();
            KeyRing ring = new KeyRingProvider(home, NewSettings(), new MemoryKeyStore(slot)).GetOrCreate();
            int loadsAfterCreate = slot.Loads;

            var second = new KeyRingProvider(home, NewSettings(), new MemoryKeyStore(slot));
            int raised = 0;
            second.KeyRingCreated += _ => raised++;

            Assert.Same(ring, second.GetOrCreate());
            Assert.Equal(loadsAfterCreate, slot.Loads); // from the cache: the store was not asked

            Assert.True(KeyRingCache.Forget(home.Path) >= 1);
            KeyRing reloaded = new KeyRingProvider(home, NewSettings(), new MemoryKeyStore(slot)).GetOrCreate();

            Assert.Equal(loadsAfterCreate + 1, slot.Loads);
            Assert.Equal(ring.Primary.Id, reloaded.Primary.Id);
            Assert.Equal(1, slot.Saves);
            Assert.Equal(0, raised);
        }

        [Fact]
        public void WhenThePinnedRingIsGoneFromTheStore_GivesKeyRingMissing_AndSavesNoNewRing()
        {
            var slot = new SharedSlot();
            SettingsStore settings = NewSettings();
            new KeyRingProvider(home, settings, new MemoryKeyStore(slot)).GetOrCreate();
            string createdStamp = settings.Get(SettingNames.KeyRingCreated)!;
            slot.Ring = null;
            KeyRingCache.Forget(home.Path);

            var provider = new KeyRingProvider(home, NewSettings(), new MemoryKeyStore(slot));
            int raised = 0;
            provider.KeyRingCreated += _ => raised++;
            CtException error = Assert.Throws<CtException>(() => provider.GetOrCreate());

            Assert.Equal(ErrorIds.KeyRingMissing, error.ErrorId);
            Assert.Equal(CtErrorKind.NotFound, error.Kind);
            Assert.Contains("SecretManagement", error.Message);
            Assert.Contains(createdStamp, error.Message);
            Assert.Equal(1, slot.Saves);
            Assert.Null(slot.Ring);
            Assert.Equal(0, raised);
            Assert.Equal(createdStamp, settings.Get(SettingNames.KeyRingCreated));

            // Still refused on a retry: nothing was cached or created by the failure.
            Assert.Equal(ErrorIds.KeyRingMissing, Assert.Throws<CtException>(() => provider.GetOrCreate()).ErrorId);
            Assert.Equal(1, slot.Saves);
        }

        [Fact]
        public void ARingWithoutTheRecordedPrimaryKey_GivesKeyRingMismatch_AndIsNeitherCachedNorRecorded()
        {
            var slot = new SharedSlot();
            SettingsStore settings = NewSettings();
            KeyRing own = new KeyRingProvider(home, settings, new MemoryKeyStore(slot)).GetOrCreate();
            Assert.Equal(own.Primary.Id, settings.Get(SettingNames.KeyRingPrimary));
            KeyRingCache.Forget(home.Path);

            // Another database's ring (or a wrong CRYPTOTRADER_MASTER_KEY) in the store this database is pointed at.
            var other = new SharedSlot { Ring = KeyRing.CreateNew() };
            var provider = new KeyRingProvider(home, NewSettings(), new MemoryKeyStore(other, KeyStoreKind.Environment));

            foreach (Func<KeyRing> use in new Func<KeyRing>[] { provider.GetOrCreate, provider.Reload, () => provider.Adopt(other.Ring) })
            {
                CtException error = Assert.Throws<CtException>(use);
                Assert.Equal(ErrorIds.KeyRingMismatch, error.ErrorId);
                Assert.Equal(CtErrorKind.InvalidData, error.Kind);
                Assert.Contains(own.Primary.Id, error.Message);
            }

            Assert.Equal(own.Primary.Id, settings.Get(SettingNames.KeyRingPrimary));
            Assert.Equal("SecretManagement", settings.Get(SettingNames.KeyRingStore));
            Assert.Equal(0, other.Saves);
            Assert.Same(own, new KeyRingProvider(home, NewSettings(), new MemoryKeyStore(slot)).GetOrCreate());
        }

        [Fact]
        public void ARingReadJustBeforeAnotherProcessCommittedARotation_IsReadAgainUnderTheLock_NotAMismatch()
        {
            var slot = new SharedSlot();
            SettingsStore settings = NewSettings();
            KeyRing before = new KeyRingProvider(home, settings, new MemoryKeyStore(slot)).GetOrCreate();
            KeyRing rotated = before.WithNewPrimary(out _);
            // The other process saved the rotated ring and committed its primary after this one's store read.
            settings.Set(new Dictionary<string, string?> { [SettingNames.KeyRingPrimary] = rotated.Primary.Id });

            foreach (Func<KeyRingProvider, KeyRing> use in new Func<KeyRingProvider, KeyRing>[] { p => p.GetOrCreate(), p => p.Reload() })
            {
                KeyRingCache.Forget(home.Path);
                var store = new StaleOnceKeyStore(before, rotated, home.KeyRingLockPath);

                KeyRing used = use(new KeyRingProvider(home, NewSettings(), store));

                Assert.Equal(rotated.Primary.Id, used.Primary.Id);
                Assert.True(store.ReadAgainUnderTheLock);
            }

            // Unlock-CtKeyStore read the key file before the rotation committed: the store is read again.
            KeyRingCache.Forget(home.Path);
            var unlocked = new StaleOnceKeyStore(before, rotated, home.KeyRingLockPath);
            Assert.Equal(rotated.Primary.Id, new KeyRingProvider(home, NewSettings(), unlocked).Adopt(unlocked.Load()).Primary.Id);
            Assert.Equal(rotated.Primary.Id, settings.Get(SettingNames.KeyRingPrimary));
        }

        [Fact]
        public void Refresh_GivesTheStoresRing_OnlyWhenItKnowsAKeyTheGivenRingLacks()
        {
            var slot = new SharedSlot();
            var provider = new KeyRingProvider(home, NewSettings(), new MemoryKeyStore(slot));
            KeyRing ring = provider.GetOrCreate();

            Assert.Null(provider.Refresh(ring));

            slot.Ring = ring.WithNewPrimary(out KeyRingEntry added);
            KeyRing? refreshed = provider.Refresh(ring);

            Assert.NotNull(refreshed);
            Assert.NotNull(refreshed!.Find(added.Id));
            Assert.Null(provider.Refresh(refreshed));
        }

        [Fact]
        public void ARingAlreadyInTheStore_IsUsed_AndPinned_WithoutCreating()
        {
            var slot = new SharedSlot { Ring = KeyRing.CreateNew() };
            SettingsStore settings = NewSettings();
            var provider = new KeyRingProvider(home, settings, new MemoryKeyStore(slot, KeyStoreKind.Environment));
            int raised = 0;
            provider.KeyRingCreated += _ => raised++;

            KeyRing ring = provider.GetOrCreate();

            Assert.Same(slot.Ring, ring);
            Assert.Equal(0, slot.Saves);
            Assert.Equal(0, raised);
            Assert.Equal("Environment", settings.Get(SettingNames.KeyRingStore));
            Assert.Equal(ring.Primary.Id, settings.Get(SettingNames.KeyRingPrimary));
            Assert.Null(settings.Get(SettingNames.KeyRingCreated));
        }

        [Fact]
        public void AFailedSave_PinsNothing_SoARetryCanStillCreate()
        {
            var slot = new SharedSlot { FailNextSave = new CtException(ErrorIds.KeyStoreUnavailable, CtErrorKind.WriteError, "vault offline") };
            SettingsStore settings = NewSettings();
            var provider = new KeyRingProvider(home, settings, new MemoryKeyStore(slot));
            int raised = 0;
            provider.KeyRingCreated += _ => raised++;

            Assert.Equal(ErrorIds.KeyStoreUnavailable, Assert.Throws<CtException>(() => provider.GetOrCreate()).ErrorId);
            Assert.Null(settings.Get(SettingNames.KeyRingStore));
            Assert.Equal(0, raised);

            KeyRing ring = provider.GetOrCreate();

            Assert.Same(ring, slot.Ring);
            Assert.Equal(1, raised);
            Assert.Equal("SecretManagement", settings.Get(SettingNames.KeyRingStore));
        }

        [Fact]
        public void Adopt_CachesAndPinsALoadedRing_AndAdoptNullMeansGetOrCreate()
        {
            var slot = new SharedSlot();
            SettingsStore settings = NewSettings();
            var provider = new KeyRingProvider(home, settings, new MemoryKeyStore(slot));
            KeyRing loaded = KeyRing.CreateNew();

            Assert.Same(loaded, provider.Adopt(loaded));
            Assert.Same(loaded, provider.GetOrCreate());
            Assert.Equal(0, slot.Loads);
            Assert.Equal("SecretManagement", settings.Get(SettingNames.KeyRingStore));

            KeyRingCache.Forget(home.Path);
            slot.Ring = loaded;
            Assert.Equal(loaded.Primary.Id, provider.Adopt(null).Primary.Id);
            Assert.Equal(0, slot.Saves);
        }

        [Fact]
        public void TheCache_IsPerDataFolder()
        {
            using var otherFolder = new TempFolder();
            DataHome other = DataHome.At(otherFolder.Path);
            var slotA = new SharedSlot();
            var slotB = new SharedSlot();
            try
            {
                KeyRing a = new KeyRingProvider(home, NewSettings(), new MemoryKeyStore(slotA)).GetOrCreate();
                CtDatabase otherDatabase = CtDatabase.Open(other);
                databases.Add(otherDatabase);
                KeyRing b = new KeyRingProvider(other, new SettingsStore(otherDatabase), new MemoryKeyStore(slotB)).GetOrCreate();

                Assert.NotEqual(a.Primary.Id, b.Primary.Id);
                Assert.Equal(1, KeyRingCache.Forget(other.Path));
                Assert.Same(a, new KeyRingProvider(home, NewSettings(), new MemoryKeyStore(slotA)).GetOrCreate());
            }
            finally
            {
                KeyRingCache.Forget(other.Path);
            }
        }

        [Fact]
        public async Task EightProvidersAtOnce_CreateExactlyOneRing()
        {
            for (int round = 0; round < 3; round++)
            {
                using var roundFolder = new TempFolder();
                DataHome roundHome = DataHome.At(roundFolder.Combine("home"));
                string keyPath = roundFolder.Combine("shared-store.json");
                var counters = new SharedSlot();
                int raised = 0;
                KeyRingCache.Forget(roundHome.Path);
                using var start = new Barrier(8);

                Task<string>[] workers = Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() =>
                {
                    using CtDatabase database = CtDatabase.Open(roundHome);
                    var provider = new KeyRingProvider(roundHome, new SettingsStore(database), new PlainFileKeyStore(keyPath, counters));
                    provider.KeyRingCreated += r => Interlocked.Increment(ref raised);
                    start.SignalAndWait();
                    return provider.GetOrCreate().Primary.Id;
                }, TaskCreationOptions.LongRunning)).ToArray();

                string[] primaries;
                try
                {
                    primaries = await Task.WhenAll(workers);
                }
                finally
                {
                    KeyRingCache.Forget(roundHome.Path);
                }

                Assert.Single(primaries.Distinct());
                Assert.Equal(1, raised);
                Assert.Equal(1, counters.Saves);
                Assert.Equal(primaries[0], KeyRing.Deserialize(File.ReadAllText(keyPath)).Primary.Id);
                using CtDatabase check = CtDatabase.Open(roundHome);
                Assert.Equal("SecretManagement", new SettingsStore(check).Get(SettingNames.KeyRingStore));
                Assert.NotNull(new SettingsStore(check).Get(SettingNames.KeyRingCreated));
            }
        }

        [Fact]
        public void OverTheRealKeyFile_CreatesA0600FileOnce_ReloadsIt_AndRefusesWhenLocked()
        {
            home.EnsureCreated();
            var store = new EncryptedFileKeyStore(home.KeyFilePath);
            try
            {
                Assert.Null(store.Unlock("correct horse battery".ToCharArray()));
                SettingsStore settings = NewSettings();
                var provider = new KeyRingProvider(home, settings, store);
                int raised = 0;
                provider.KeyRingCreated += _ => raised++;

                KeyRing ring = provider.GetOrCreate();

                Assert.Equal(1, raised);
                Assert.True(File.Exists(home.KeyFilePath));
                Assert.False(FilePermissions.IsReadableByOthers(home.KeyFilePath));
                Assert.DoesNotContain(ring.Primary.Key.ToBase64Url(), File.ReadAllText(home.KeyFilePath));
                Assert.Equal("File", settings.Get(SettingNames.KeyRingStore));
                byte[] saved = File.ReadAllBytes(home.KeyFilePath);
                string primaryKey = ring.Primary.Key.ToBase64Url();

                // Forgetting the folder locks the key file too: it reloads only once unlocked again.
                KeyRingCache.Forget(home.Path);
                Assert.False(store.IsUnlocked);
                Assert.NotNull(new EncryptedFileKeyStore(home.KeyFilePath).Unlock("correct horse battery".ToCharArray()));
                KeyRing reloaded = new KeyRingProvider(home, NewSettings(), new EncryptedFileKeyStore(home.KeyFilePath)).GetOrCreate();
                Assert.Equal(ring.Primary.Id, reloaded.Primary.Id);
                Assert.Equal(primaryKey, reloaded.Primary.Key.ToBase64Url());

                EncryptedFileKeyStore.Lock(home.KeyFilePath);
                KeyRingCache.Forget(home.Path);
                CtException error = Assert.Throws<CtException>(
                    () => new KeyRingProvider(home, NewSettings(), new EncryptedFileKeyStore(home.KeyFilePath)).GetOrCreate());
                Assert.Equal(ErrorIds.KeyStoreLocked, error.ErrorId);
                Assert.Equal(saved, File.ReadAllBytes(home.KeyFilePath));
                Assert.Equal(1, raised);
            }
            finally
            {
                EncryptedFileKeyStore.Lock(home.KeyFilePath);
            }
        }

        [Fact]
        public void OverALockedKeyFileWithNoFileYet_FailsWithKeyStoreLocked_AndPinsNothing()
        {
            home.EnsureCreated();
            SettingsStore settings = NewSettings();
            var provider = new KeyRingProvider(home, settings, new EncryptedFileKeyStore(home.KeyFilePath));

            CtException error = Assert.Throws<CtException>(() => provider.GetOrCreate());

            Assert.Equal(ErrorIds.KeyStoreLocked, error.ErrorId);
            Assert.False(File.Exists(home.KeyFilePath));
            Assert.Null(settings.Get(SettingNames.KeyRingStore));
            Assert.Null(settings.Get(SettingNames.KeyRingCreated));
        }

        private SettingsStore NewSettings()
        {
            CtDatabase database = CtDatabase.Open(home);
            databases.Add(database);
            return new SettingsStore(database);
        }
    }
}
