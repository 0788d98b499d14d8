using System;
using System.Linq;
using System.Text;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Tests.Audit;
using CryptoTrader.Core.Tests.KeyStores;
using Xunit;

namespace CryptoTrader.Core.Tests.Credentials
{
    public class KeyRotationTests
    {
        // More than two batches of KeyRotation (1,000 rows each).
        private const int Count = 2_345;

        [Fact]
        public void Rotate_ReEncryptsEveryCredentialInSeveralBatches_AndRetiresTheOldKey()
        {
            using var folder = new AuditTestFolder();
            var provider = new KeyRingProvider(folder.Home, new SettingsStore(folder.Database), new MemoryKeyStore(new SharedSlot()));
            var ring = provider.GetOrCreate();
            var oldKey = ring.Primary.Id;
            var audit = new AuditLog(folder.Database, folder.Home, ring, "test");
            var store = new CredentialStore(folder.Database);
            audit.Write(transaction =>
            {
                for (var i = 0; i < Count; i++)
                {
                    var name = "k" + i.ToString("D5");
                    var encrypted = ring.Encrypt(CredentialPayload.Encode("coinbase", name, "key-" + i, ("secret-" + i).ToCharArray()));
                    store.Upsert(transaction, new StoredCredential("coinbase", name, encrypted.Token, encrypted.KeyId, "fp", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"));
                }
                transaction.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "test"));
            });

            var record = new KeyRotation(folder.Database, folder.Home, provider).Rotate(r => new AuditLog(folder.Database, folder.Home, r, "test"));

            var rotated = provider.Reload();
            Assert.NotEqual(oldKey, rotated.Primary.Id);
            Assert.True(rotated.Get(oldKey).Retired);
            Assert.Equal((long)Count, Convert.ToInt64(record.Details["reencrypted"]));
            Assert.Equal(false, record.Details["resumed"]);
            Assert.Equal(new[] { rotated.Primary.Id }, store.KeyIdsInUse().ToArray());
            var service = new ApiKeyService(folder.Database);
            foreach (var i in new[] { 0, 999, 1000, 1999, 2000, Count - 1 })
            {
                using var credential = service.Reveal(audit, rotated, "coinbase", "k" + i.ToString("D5"));
                Assert.Equal("key-" + i, credential.ApiKey);
            }
        }

        [Fact]
        public void ReplaceTokens_StoresTheNewTokensUnderTheKey_OnlyForRowsNotUnderIt()
        {
            using var folder = new AuditTestFolder();
            var store = new CredentialStore(folder.Database);
            folder.Log.Write(transaction =>
            {
                store.Upsert(transaction, new StoredCredential("coinbase", "a", "old-a", "k1", "fp", "t", "t"));
                store.Upsert(transaction, new StoredCredential("coinbase", "b", "kept-b", "k2", "fp", "t", "t"));
                store.Upsert(transaction, new StoredCredential("paper", "c", "old-c", "k1", "fp", "t", "t"));
                transaction.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "test"));
            });

            using (var transaction = new CryptoTrader.Core.Storage.CtTransaction(folder.Database.Connection))
            {
                using var pending = store.TokensNotUnder("k2");
                Assert.Equal(new[] { "a", "c" }, Enumerable.Range(0, pending.Count).Select(pending.Name).ToArray());
                pending.Replace(0, Encoding.UTF8.GetBytes("new-a"));
                pending.Replace(1, Encoding.UTF8.GetBytes("new-c"));
                Assert.Equal(2, store.ReplaceTokens(pending, "k2", _ => true));
                transaction.Commit();
            }

            Assert.Equal(new[] { "new-a|k2", "kept-b|k2", "new-c|k2" }, store.All().Select(c => c.Token + "|" + c.KeyId).ToArray());
        }

        [Fact]
        public void ReplaceTokens_StopsAtTheFirstRowNotReady_LeavingItAndTheRestAlone()
        {
            using var folder = new AuditTestFolder();
            var store = new CredentialStore(folder.Database);
            folder.Log.Write(transaction =>
            {
                foreach (var name in new[] { "a", "b", "c" })
                {
                    store.Upsert(transaction, new StoredCredential("coinbase", name, "old-" + name, "k1", "fp", "t", "t"));
                }
                transaction.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "test"));
            });

            using (var transaction = new CryptoTrader.Core.Storage.CtTransaction(folder.Database.Connection))
            {
                using var pending = store.TokensNotUnder("k2");
                for (var i = 0; i < pending.Count; i++)
                {
                    pending.Replace(i, Encoding.UTF8.GetBytes("new-" + pending.Name(i)));
                }
                Assert.Equal(1, store.ReplaceTokens(pending, "k2", i => i != 1));
                transaction.Commit();
            }

            Assert.Equal(new[] { "new-a|k2", "old-b|k1", "old-c|k1" }, store.All().Select(c => c.Token + "|" + c.KeyId).ToArray());
        }

        [Fact]
        public void ReplaceTokens_RefusesToRunOutsideATransaction()
        {
            using var folder = new AuditTestFolder();
            var store = new CredentialStore(folder.Database);
            using var pending = store.TokensNotUnder("k2");

            Assert.Throws<InvalidOperationException>(() => store.ReplaceTokens(pending, "k2", _ => true));
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
