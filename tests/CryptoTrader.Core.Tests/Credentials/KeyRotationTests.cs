using System;
using System.Linq;
using System.Text;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Audit;
using CryptoTrader.Core.Tests.KeyStores;
using Xunit;

namespace CryptoTrader.Core.Tests.Credentials
{
    public class KeyRotationTests
    {
        private const int Count = 2_345;

        [Fact]
        public void Rotate_ReEncryptsEveryCredential_AndRetiresTheOldKey()
        {
            using var folder = new AuditTestFolder();
            var provider = NewProvider(folder);
            var ring = provider.GetOrCreate();
            var oldKey = ring.Primary.Id;
            var audit = new AuditLog(folder.Database, folder.Home, ring, "test");
            var store = new CredentialStore(folder.Database);
            StoreCredentials(folder, ring, Enumerable.Range(0, Count));

            var record = Rotate(folder, provider);

            var rotated = provider.Reload();
            Assert.NotEqual(oldKey, rotated.Primary.Id);
            Assert.True(rotated.Get(oldKey).Retired);
            Assert.Equal((long)Count, Convert.ToInt64(record.Details["reencrypted"]));
            Assert.Equal(false, record.Details["resumed"]);
            Assert.Equal(oldKey, record.Details["old_key_id"]);
            Assert.Equal(new[] { rotated.Primary.Id }, store.KeyIdsInUse().ToArray());
            Assert.True(provider.IsRecordedPrimary(rotated));
            AssertDecryptable(folder, audit, rotated, 0, 1023, 1024, 2047, 2048, Count - 1);
        }

        [Fact]
        public void Rotate_AfterARotationSavedItsKeyButStoppedBeforeItsCommit_FinishesItWithThatKey()
        {
            using var folder = new AuditTestFolder();
            var slot = new SharedSlot();
            var provider = new KeyRingProvider(folder.Home, new SettingsStore(folder.Database), new MemoryKeyStore(slot));
            var ring = provider.GetOrCreate();
            var audit = new AuditLog(folder.Database, folder.Home, ring, "test");
            StoreCredentials(folder, ring, Enumerable.Range(0, 50));
            // What a rotation killed between saving its ring and committing its tokens leaves behind.
            var saved = ring.WithNewPrimary(out _);
            new MemoryKeyStore(slot).Save(saved);

            var record = Rotate(folder, provider);

            Assert.Equal(true, record.Details["resumed"]);
            Assert.Null(record.Details["old_key_id"]);
            Assert.Equal(saved.Primary.Id, record.Details["new_key_id"]);
            Assert.Equal(50L, Convert.ToInt64(record.Details["reencrypted"]));
            var finished = provider.Reload();
            Assert.Equal(saved.Primary.Id, finished.Primary.Id);
            Assert.True(finished.Get(ring.Primary.Id).Retired);
            Assert.True(provider.IsRecordedPrimary(finished));
            Assert.Equal(new[] { saved.Primary.Id }, new CredentialStore(folder.Database).KeyIdsInUse().ToArray());
            AssertDecryptable(folder, audit, finished, 0, 49);
        }

        [Fact]
        public void Rotate_ReEncryptsATokenLeftUnderAnOlderKey_WithAllTheOthers()
        {
            using var folder = new AuditTestFolder();
            var provider = NewProvider(folder);
            var first = provider.GetOrCreate();
            var audit = new AuditLog(folder.Database, folder.Home, first, "test");
            StoreCredentials(folder, first, Enumerable.Range(0, 20));
            Rotate(folder, provider);
            // A session that still held the first ring stores one more credential under the first key.
            StoreCredentials(folder, first, new[] { 20 }, provider);

            var record = Rotate(folder, provider);

            var latest = provider.Reload();
            Assert.Equal(false, record.Details["resumed"]);
            Assert.Equal(21L, Convert.ToInt64(record.Details["reencrypted"]));
            Assert.Equal(new[] { latest.Primary.Id }, new CredentialStore(folder.Database).KeyIdsInUse().ToArray());
            Assert.Equal(3, latest.Keys.Count);
            Assert.All(latest.Keys.Where(k => k.Id != latest.Primary.Id), k => Assert.True(k.Retired));
            AssertDecryptable(folder, audit, latest, 0, 20);
        }

        [Fact]
        public void Rotate_ReEncryptsATokenAnotherConnectionStoresRightAfterTheCommit_BeforeRetiringItsKey()
        {
            using var folder = new AuditTestFolder();
            var provider = NewProvider(folder);
            var ring = provider.GetOrCreate();
            var audit = new AuditLog(folder.Database, folder.Home, ring, "test");
            StoreCredentials(folder, ring, Enumerable.Range(0, 10));
            var stragglerStored = false;

            // The rotation opens the audit log under the new ring right after its commit: store the straggler then.
            var record = new KeyRotation(folder.Database, folder.Home, provider).Rotate(r =>
            {
                if (!stragglerStored)
                {
                    stragglerStored = true;
                    using var other = CtDatabase.Open(folder.Home);
                    var otherLog = new AuditLog(other, folder.Home, ring, "other");
                    var encrypted = ring.Encrypt(CredentialPayload.Encode("coinbase", "late", "key-late", "secret-late".ToCharArray()));
                    otherLog.Write(transaction =>
                    {
                        new CredentialStore(other).Upsert(transaction, new StoredCredential("coinbase", "late", encrypted.Token, encrypted.KeyId, "fp", "t", "t"));
                        transaction.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "test"));
                    });
                }
                return new AuditLog(folder.Database, folder.Home, r, "test");
            });

            var rotated = provider.Reload();
            Assert.True(stragglerStored);
            Assert.Equal(11L, Convert.ToInt64(record.Details["reencrypted"]));
            Assert.Equal(new[] { rotated.Primary.Id }, new CredentialStore(folder.Database).KeyIdsInUse().ToArray());
            Assert.Equal(ring.Primary.Id, record.Details["retired_key_ids"]);
            using var late = new ApiKeyService(folder.Database).Reveal(audit, rotated, "coinbase", "late");
            Assert.Equal("key-late", late.ApiKey);
        }

        // Rows for testing the table alone: their "tokens" are base64url text, as the table requires, but not Fernet tokens.
        private static string Fake(string token) => Base64Url.Encode(Encoding.UTF8.GetBytes(token));

        private static string Unfake(string token) => Encoding.UTF8.GetString(Base64Url.TryDecode(token)!);

        private static KeyRingProvider NewProvider(AuditTestFolder folder) =>
            new KeyRingProvider(folder.Home, new SettingsStore(folder.Database), new MemoryKeyStore(new SharedSlot()));

        private static AuditRecord Rotate(AuditTestFolder folder, KeyRingProvider provider) =>
            new KeyRotation(folder.Database, folder.Home, provider).Rotate(r => new AuditLog(folder.Database, folder.Home, r, "test"));

        private static string NameOf(int i) => "k" + i.ToString("D5");

        /// <param name="reload">For a ring that may be behind the store's (the log is sealed with the newer key).</param>
        private static void StoreCredentials(AuditTestFolder folder, KeyRing ring, System.Collections.Generic.IEnumerable<int> numbers, KeyRingProvider? reload = null)
        {
            var store = new CredentialStore(folder.Database);
            new AuditLog(folder.Database, folder.Home, ring, "test", reload).Write(transaction =>
            {
                foreach (var i in numbers)
                {
                    var encrypted = ring.Encrypt(CredentialPayload.Encode("coinbase", NameOf(i), "key-" + i, ("secret-" + i).ToCharArray()));
                    store.Upsert(transaction, new StoredCredential("coinbase", NameOf(i), encrypted.Token, encrypted.KeyId, "fp", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"));
                }
                transaction.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "test"));
            });
        }

        private static void AssertDecryptable(AuditTestFolder folder, AuditLog audit, KeyRing ring, params int[] numbers)
        {
            var service = new ApiKeyService(folder.Database);
            foreach (var i in numbers)
            {
                using var credential = service.Reveal(audit, ring, "coinbase", NameOf(i));
                Assert.Equal("key-" + i, credential.ApiKey);
            }
        }

        [Fact]
        public void TokensNotUnder_ReadsOnlyTheRowsOfOtherKeys_AndReplaceTokenStoresUnderTheNewKey()
        {
            using var folder = new AuditTestFolder();
            var store = new CredentialStore(folder.Database);
            folder.Log.Write(transaction =>
            {
                store.Upsert(transaction, new StoredCredential("coinbase", "a", Fake("old-a"), "k1", "fp", "t", "t"));
                store.Upsert(transaction, new StoredCredential("coinbase", "b", Fake("kept-b"), "k2", "fp", "t", "t"));
                store.Upsert(transaction, new StoredCredential("paper", "c", Fake("old-c"), "k1", "fp", "t", "t"));
                transaction.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "test"));
            });

            using (var transaction = new CryptoTrader.Core.Storage.CtTransaction(folder.Database.Connection))
            {
                var pending = store.TokensNotUnder("k2", transaction);
                Assert.Equal(new[] { "a|k1|old-a", "c|k1|old-c" }, pending.Select(p => p.Name + "|" + p.KeyId + "|" + Unfake(p.Token)).ToArray());
                foreach (var row in pending)
                {
                    store.ReplaceToken(transaction, row.RowId, Fake("new-" + row.Name), "k2");
                }
                transaction.Commit();
            }

            Assert.Equal(new[] { "new-a|k2", "kept-b|k2", "new-c|k2" }, store.All().Select(c => Unfake(c.Token) + "|" + c.KeyId).ToArray());
            Assert.Equal(new[] { "k2" }, store.KeyIdsInUse().ToArray());
        }

        [Theory]
        [InlineData(5, 1, 3)]
        [InlineData(3_000, 2_500, 2_999)]
        public void Rotate_StopsAtTheFirstAlteredToken_NamingIt_AndChangesNothing(int count, int altered, int alsoAltered)
        {
            using var folder = new AuditTestFolder();
            var provider = new KeyRingProvider(folder.Home, new SettingsStore(folder.Database), new MemoryKeyStore(new SharedSlot()));
            var ring = provider.GetOrCreate();
            var audit = new AuditLog(folder.Database, folder.Home, ring, "test");
            var store = new CredentialStore(folder.Database);
            audit.Write(transaction =>
            {
                for (var i = 0; i < count; i++)
                {
                    var encrypted = ring.Encrypt(CredentialPayload.Encode("coinbase", "k" + i.ToString("D5"), "key-" + i, ("secret-" + i).ToCharArray()));
                    var token = i == altered || i == alsoAltered ? encrypted.Token.Substring(0, 40) + (encrypted.Token[40] == 'A' ? 'B' : 'A') + encrypted.Token.Substring(41) : encrypted.Token;
                    store.Upsert(transaction, new StoredCredential("coinbase", "k" + i.ToString("D5"), token, encrypted.KeyId, "fp", "t", "t"));
                }
                transaction.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "test"));
            });
            var before = store.All().Select(c => c.Token).ToArray();

            var error = Assert.Throws<CryptoTrader.Core.Errors.CtException>(() =>
                new KeyRotation(folder.Database, folder.Home, provider).Rotate(r => new AuditLog(folder.Database, folder.Home, r, "test")));

            Assert.Equal(CryptoTrader.Core.Errors.ErrorIds.CredentialIntegrityFailed, error.ErrorId);
            Assert.Contains($"name 'k{altered:D5}'", error.Message);
            Assert.Equal(before, store.All().Select(c => c.Token).ToArray());
            Assert.Equal(ring.Primary.Id, provider.Reload().Primary.Id);
            Assert.Single(provider.Reload().Keys);
        }
    }
}
