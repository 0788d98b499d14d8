using System;
using System.IO;
using System.Threading;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;

namespace CryptoTrader.Core.Tests.KeyStores
{
    /// <summary>What a test store holds; several store instances may share one (like several processes sharing a vault).</summary>
    public sealed class SharedSlot
    {
        private int loads;
        private int saves;

        public string Id { get; } = Guid.NewGuid().ToString("N");

        public volatile KeyRing? Ring;

        public Exception? FailNextSave;

        public int Loads => Volatile.Read(ref loads);

        public int Saves => Volatile.Read(ref saves);

        internal void CountLoad() => Interlocked.Increment(ref loads);

        internal void CountSave() => Interlocked.Increment(ref saves);
    }

    /// <summary>An in-memory key store: no PBKDF2, counts loads and saves.</summary>
    public sealed class MemoryKeyStore : IKeyStore
    {
        public MemoryKeyStore(SharedSlot slot, KeyStoreKind kind = KeyStoreKind.SecretManagement)
        {
            Slot = slot;
            Kind = kind;
        }

        public SharedSlot Slot { get; }

        public KeyStoreKind Kind { get; }

        public string Location => "memory slot " + Slot.Id;

        public string CacheKey => "memory:" + Slot.Id;

        public KeyRing? Load()
        {
            Slot.CountLoad();
            return Slot.Ring;
        }

        public void Save(KeyRing ring)
        {
            Slot.CountSave();
            Exception? failure = Interlocked.Exchange(ref Slot.FailNextSave, null);
            if (failure != null)
            {
                throw failure;
            }

            Slot.Ring = ring;
        }

        public bool Delete()
        {
            var had = Slot.Ring != null;
            Slot.Ring = null;
            return had;
        }
    }

    /// <summary>
    /// A key store backed by a plain JSON file (unencrypted: tests only), written atomically; Save is slow
    /// on purpose so that concurrent creators overlap.
    /// </summary>
    public sealed class PlainFileKeyStore : IKeyStore
    {
        private readonly SharedSlot counters;

        public PlainFileKeyStore(string path, SharedSlot counters)
        {
            Path = path;
            this.counters = counters;
        }

        public string Path { get; }

        public KeyStoreKind Kind => KeyStoreKind.SecretManagement;

        public string Location => Path;

        public string CacheKey => "plainfile:" + Path;

        public KeyRing? Load()
        {
            counters.CountLoad();
            return File.Exists(Path) ? KeyRing.Deserialize(File.ReadAllText(Path)) : null;
        }

        public void Save(KeyRing ring)
        {
            counters.CountSave();
            Thread.Sleep(50);
            string temporary = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temporary, ring.Serialize());
            if (File.Exists(Path))
            {
                File.Replace(temporary, Path, null); // atomic like File.Move(overwrite: true), which net472 lacks
            }
            else
            {
                File.Move(temporary, Path);
            }
        }

        public bool Delete()
        {
            var had = File.Exists(Path);
            File.Delete(Path);
            return had;
        }
    }
}

namespace CryptoTrader.Core.Tests.KeyStores
{
    /// <summary>
    /// A store read once just before another process's rotation saved its ring (the first Load gives the old ring), and
    /// afterwards the rotated one; records whether that later read ran while the key-ring lock file was held.
    /// </summary>
    public sealed class StaleOnceKeyStore : IKeyStore
    {
        private readonly KeyRing before;
        private readonly KeyRing after;
        private readonly string lockPath;
        private int loads;

        public StaleOnceKeyStore(KeyRing before, KeyRing after, string lockPath)
        {
            this.before = before;
            this.after = after;
            this.lockPath = lockPath;
        }

        public bool ReadAgainUnderTheLock { get; private set; }

        public KeyStoreKind Kind => KeyStoreKind.SecretManagement;

        public string Location => "stale-once store";

        public string CacheKey => "stale-once";

        public KeyRing? Load()
        {
            if (loads++ == 0)
            {
                return before;
            }
            ReadAgainUnderTheLock = IsLocked();
            return after;
        }

        public void Save(KeyRing ring) => throw new InvalidOperationException("not written in this test");

        public bool Delete() => throw new InvalidOperationException("not deleted in this test");

        private bool IsLocked()
        {
            try
            {
                using (new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    return false;
                }
            }
            catch (IOException)
            {
                return true;
            }
        }
    }
}
