using System;
using System.Collections.Generic;
using System.Globalization;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// Hands out the key ring of a data folder: from the session cache, else from the store, else,
    /// on first use only, a newly generated one. Once a database has a key ring, a missing ring is an
    /// error and never a reason to generate another (that would orphan everything encrypted so far).
    /// </summary>
    public sealed class KeyRingProvider
    {
        private readonly DataHome home;
        private readonly SettingsStore settings;
        private readonly IKeyStore store;

        public KeyRingProvider(DataHome home, SettingsStore settings, IKeyStore store)
        {
            this.home = home;
            this.settings = settings;
            this.store = store;
        }

        public IKeyStore Store => store;

        /// <summary>Raised once when this provider generated a new key ring (for the audit log).</summary>
        public event Action<KeyRing>? KeyRingCreated;

        public KeyRing GetOrCreate()
        {
            // A ring cached before another process rotated lacks the new primary: read the store again.
            if (KeyRingCache.TryGet(home.Path, store, out var cached) && IsCurrent(cached))
            {
                return cached;
            }
            var ring = store.Load();
            if (ring is null)
            {
                using (KeyRingLock.Acquire(home))
                {
                    ring = store.Load() ?? Create();
                }
            }
            Remember(CheckBelongs(ring));
            return ring;
        }

        /// <summary>
        /// The key ring when the store already holds one, else null. Never creates a ring and records nothing in the
        /// settings (for read-only reports); a cached ring is used only while it still has the recorded primary.
        /// </summary>
        public KeyRing? Find()
        {
            if (KeyRingCache.TryGet(home.Path, store, out var cached) && IsCurrent(cached))
            {
                return cached;
            }
            return store.Load();
        }

        /// <summary>Uses a key ring that the caller has just read from the store (Unlock-CtKeyStore).</summary>
        public KeyRing Adopt(KeyRing? loaded)
        {
            if (loaded is null)
            {
                return GetOrCreate();
            }
            Remember(CheckBelongs(loaded));
            return loaded;
        }

        /// <summary>Reads the key ring from the store again (another process may have rotated it) and caches it.</summary>
        public KeyRing Reload()
        {
            var ring = store.Load() ?? throw new CtException(ErrorIds.KeyRingMissing, CtErrorKind.NotFound,
                $"The key ring is no longer in {store.Location}. Restore it there; CryptoTrader will not generate a new one over existing data.",
                store.Location);
            Remember(CheckBelongs(ring));
            return ring;
        }

        /// <summary>Saves a changed key ring (rotation) to the store, then uses it for this session.</summary>
        public void Replace(KeyRing ring) => Replace(ring, transaction: null);

        /// <summary>
        /// <see cref="Replace(KeyRing)"/>, recording the new primary key inside <paramref name="transaction"/> when
        /// given (rotation: with the tokens it encrypts).
        /// </summary>
        internal void Replace(KeyRing ring, CtTransaction? transaction)
        {
            store.Save(ring);
            if (transaction is null)
            {
                settings.Set(PrimaryOf(ring));
            }
            else
            {
                RecordPrimary(ring, transaction);
            }
            KeyRingCache.Put(home.Path, store, ring);
        }

        /// <summary>
        /// Keeps <paramref name="record"/> (a security-relevant audit record just committed) as the ring's rollback anchor
        /// in the store, unless the store already anchors a later one (or, after a repair, <paramref name="replace"/>: whatever
        /// it anchors). The environment store cannot be written: it has none.
        /// </summary>
        internal void RecordAnchor(AuditRecord record, bool replace = false)
        {
            if (store.Kind == KeyStoreKind.Environment)
            {
                return;
            }
            using (KeyRingLock.Acquire(home))
            {
                var ring = store.Load();
                if (ring is null || (!replace && AuditAnchor.SequenceOf(ring.AuditAnchor) >= record.Sequence))
                {
                    return;
                }
                var anchored = ring.WithAuditAnchor(AuditAnchor.Of(record));
                store.Save(anchored);
                KeyRingCache.Put(home.Path, store, anchored);
            }
        }

        /// <summary>
        /// Whether the database recorded <paramref name="ring"/>'s primary key as its primary. Not so after a rotation that
        /// saved its new key to the store and stopped before its commit (which records it).
        /// </summary>
        internal bool IsRecordedPrimary(KeyRing ring)
        {
            var primary = settings.Get(SettingNames.KeyRingPrimary);
            return primary is null || primary == ring.Primary.Id;
        }

        /// <summary>Records <paramref name="ring"/>'s primary key as the database's, inside <paramref name="transaction"/>.</summary>
        internal void RecordPrimary(KeyRing ring, CtTransaction transaction) => settings.Set(transaction, PrimaryOf(ring));

        private static Dictionary<string, string?> PrimaryOf(KeyRing ring) =>
            new Dictionary<string, string?> { [SettingNames.KeyRingPrimary] = ring.Primary.Id };

        private bool IsCurrent(KeyRing ring) => MissingPrimary(ring) is null;

        /// <summary>The primary key id the database recorded, when <paramref name="ring"/> lacks it; else null.</summary>
        private string? MissingPrimary(KeyRing ring)
        {
            var primary = settings.Get(SettingNames.KeyRingPrimary);
            return primary != null && ring.Find(primary) is null ? primary : null;
        }

        /// <summary>
        /// A ring without the primary key the database recorded is another database's ring (or a wrong
        /// CRYPTOTRADER_MASTER_KEY): using it would make every stored token and audit record look tampered with.
        /// </summary>
        private KeyRing CheckBelongs(KeyRing ring)
        {
            var primary = MissingPrimary(ring);
            if (primary != null)
            {
                throw new CtException(ErrorIds.KeyRingMismatch, CtErrorKind.InvalidData,
                    $"The key ring in {store.Location} is not this database's: it lacks key {primary}, which encrypts this database's API keys and seals its audit log. " +
                    "Nothing was changed. Point Set-CtConfig -KeyStore/-Vault (or CRYPTOTRADER_MASTER_KEY) at the store that holds this database's key ring, or restore that ring there.",
                    store.Location);
            }
            return ring;
        }

        /// <summary>Caches the ring, and on first use records which store holds it and its primary key.</summary>
        private void Remember(KeyRing ring)
        {
            var firstUse = new Dictionary<string, string?>();
            if (settings.Get(SettingNames.KeyRingStore) is null)
            {
                firstUse[SettingNames.KeyRingStore] = store.Kind.ToString();
            }
            if (settings.Get(SettingNames.KeyRingPrimary) is null)
            {
                firstUse[SettingNames.KeyRingPrimary] = ring.Primary.Id;
            }
            if (firstUse.Count > 0)
            {
                settings.Set(firstUse);
            }
            KeyRingCache.Put(home.Path, store, ring);
        }

        private KeyRing Create()
        {
            var pinned = settings.Get(SettingNames.KeyRingStore);
            if (pinned != null)
            {
                var created = settings.Get(SettingNames.KeyRingCreated) ?? "earlier";
                throw new CtException(ErrorIds.KeyRingMissing, CtErrorKind.NotFound,
                    $"This database's key ring (created {created}, kept in the {pinned} store) is not in {store.Location}. " +
                    "Restore it there, or point Set-CtConfig -KeyStore/-Vault at the store that holds it. A new key ring is not generated because data encrypted with the old one would become unreadable.",
                    store.Location);
            }
            var ring = KeyRing.CreateNew();
            store.Save(ring);
            settings.Set(new Dictionary<string, string?>
            {
                [SettingNames.KeyRingStore] = store.Kind.ToString(),
                [SettingNames.KeyRingCreated] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            });
            KeyRingCreated?.Invoke(ring);
            return ring;
        }
    }
}
