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
            var recorded = RecordedPrimary();
            var ring = store.Load();
            if (ring is null)
            {
                using (KeyRingLock.Acquire(home))
                {
                    ring = store.Load() ?? Create();
                    Remember(CheckBelongs(ring, RecordedPrimary()));
                    return ring;
                }
            }
            ring = Checked(ring, recorded);
            Remember(ring);
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

        /// <summary>
        /// Uses a key ring that the caller has just read from the store (Unlock-CtKeyStore). One without the primary the
        /// database recorded may have been read before another process's rotation committed: the store is read again.
        /// </summary>
        public KeyRing Adopt(KeyRing? loaded)
        {
            if (loaded is null)
            {
                return GetOrCreate();
            }
            if (!IsCurrent(loaded))
            {
                return Reload();
            }
            Remember(loaded);
            return loaded;
        }

        /// <summary>Reads the key ring from the store again (another process may have rotated it) and caches it.</summary>
        public KeyRing Reload()
        {
            var recorded = RecordedPrimary();
            var ring = Checked(LoadExisting(), recorded);
            Remember(ring);
            return ring;
        }

        /// <summary><see cref="Reload"/> for a caller that already holds the key-ring lock (rotation).</summary>
        internal KeyRing ReloadHoldingLock()
        {
            var recorded = RecordedPrimary();
            var ring = CheckBelongs(LoadExisting(), recorded);
            Remember(ring);
            return ring;
        }

        /// <summary>
        /// The ring to use after data turned up that names a key <paramref name="ring"/> lacks (a token, grant or record another
        /// session wrote under a newer key): the store's ring when it knows more keys, else null. The store always holds every
        /// key before anything made with it commits, so one reload is enough.
        /// </summary>
        public KeyRing? Refresh(KeyRing ring)
        {
            var reloaded = Reload();
            foreach (var key in reloaded.Keys)
            {
                if (ring.Find(key.Id) is null)
                {
                    return reloaded;
                }
            }
            return null;
        }

        /// <summary>
        /// <paramref name="ring"/> when it has the primary the database recorded before it was read: the store is written before
        /// a rotation commits its primary, so a ring read after that primary was recorded has it, however many rotations
        /// commit meanwhile. Otherwise the store and the database are read again under the key-ring lock (no rotation, move or
        /// passphrase change runs then), and only a ring that still lacks the primary is reported, as a mismatch.
        /// </summary>
        private KeyRing Checked(KeyRing ring, string? recordedBeforeLoad)
        {
            if (recordedBeforeLoad is null || ring.Find(recordedBeforeLoad) != null)
            {
                return ring;
            }
            using (KeyRingLock.Acquire(home))
            {
                var recorded = RecordedPrimary();
                return CheckBelongs(LoadExisting(), recorded);
            }
        }

        private KeyRing LoadExisting() => store.Load() ?? throw new CtException(ErrorIds.KeyRingMissing, CtErrorKind.NotFound,
            $"The key ring is no longer in {store.Location}. Restore it there; CryptoTrader will not generate a new one over existing data.",
            store.Location);

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
            KeyRingCache.Put(home.Path, store, ring, UnlockTimeout());
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
                KeyRingCache.Put(home.Path, store, anchored, UnlockTimeout());
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

        internal TimeSpan? UnlockTimeout() => CtSettings.ParseUnlockTimeout(settings.Get(SettingNames.UnlockTimeout));

        private string? RecordedPrimary() => settings.Get(SettingNames.KeyRingPrimary);

        private bool IsCurrent(KeyRing ring)
        {
            var primary = RecordedPrimary();
            return primary is null || ring.Find(primary) != null;
        }

        /// <summary>
        /// A ring without the primary key the database recorded is another database's ring (or a wrong
        /// CRYPTOTRADER_MASTER_KEY): using it would make every stored token and audit record look tampered with.
        /// </summary>
        private KeyRing CheckBelongs(KeyRing ring, string? recordedPrimary)
        {
            if (recordedPrimary != null && ring.Find(recordedPrimary) is null)
            {
                throw new CtException(ErrorIds.KeyRingMismatch, CtErrorKind.InvalidData,
                    $"The key ring in {store.Location} is not this database's: it lacks key {recordedPrimary}, which encrypts this database's API keys and seals its audit log. " +
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
            KeyRingCache.Put(home.Path, store, ring, UnlockTimeout());
        }

        private KeyRing Create()
        {
            var pinned = settings.Get(SettingNames.KeyRingStore);
            if (pinned != null)
            {
                var created = settings.Get(SettingNames.KeyRingCreated) ?? "earlier";
                throw new CtException(ErrorIds.KeyRingMissing, CtErrorKind.NotFound,
                    $"This database's key ring (created {created}, kept in the {pinned} store) is not in {store.Location}. " +
                    $"To move it here, run Move-CtKeyRing -KeyStore {store.Kind} while the data folder still uses the {pinned} store (Set-CtConfig -KeyStore {pinned} if you changed it); or restore it here. " +
                    "A new key ring is not generated because data encrypted with the old one would become unreadable.",
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
