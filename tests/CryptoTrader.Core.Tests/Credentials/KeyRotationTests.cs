using System;
using System.Linq;
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
        public void ReplaceTokens_LeavesARowThatChangedSinceItWasRead()
        {
            using var folder = new AuditTestFolder();
            var ring = folder.Ring;
            var store = new CredentialStore(folder.Database);
            folder.Log.Write(transaction =>
            {
                foreach (var name in new[] { "a", "b" })
                {
                    store.Upsert(transaction, new StoredCredential("coinbase", name, "old-" + name, ring.Primary.Id, "fp", "t", "t"));
                }
                transaction.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "test"));
            });
            var read = store.All();
            folder.Log.Write(transaction =>
            {
                store.Upsert(transaction, new StoredCredential("coinbase", "b", "changed-b", ring.Primary.Id, "fp", "t", "t"));
                transaction.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "test"));
            });

            using (var transaction = folder.Database.Connection.BeginTransaction())
            {
                Assert.Equal(1, store.ReplaceTokens(transaction, read, new[] { "new-a", "new-b" }, "k2"));
                transaction.Commit();
            }

            Assert.Equal(new[] { "new-a", "changed-b" }, store.All().Select(c => c.Token).ToArray());
        }
    }
}
