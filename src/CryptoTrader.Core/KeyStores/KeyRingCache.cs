using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using CryptoTrader.Core.Crypto;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// Key rings already read in this process, so a vault is asked once per session and not on every call. Keyed by data
    /// folder and store; safe to use from several runspaces at once. A data folder's rings are forgotten by Lock-CtKeyStore,
    /// by Remove-Module, and, with an unlock timeout, that long after the first of them was read; forgetting zeroes the keys
    /// of every ring held for the folder since then (and the key file's passphrase key).
    /// </summary>
    public static class KeyRingCache
    {
        private static readonly ConcurrentDictionary<string, Folder> Folders = new ConcurrentDictionary<string, Folder>(StringComparer.Ordinal);
        private static readonly object ForgetGate = new object();

        internal static bool TryGet(string dataPath, IKeyStore store, out KeyRing ring)
        {
            ring = null!;
            if (!Folders.TryGetValue(dataPath, out var folder))
            {
                return false;
            }
            if (folder.HasExpired)
            {
                Forget(dataPath);
                return false;
            }
            return folder.Rings.TryGetValue(store.CacheKey, out ring!);
        }

        /// <param name="unlockTimeout">How long the folder's rings are kept after the first is read (null: until forgotten).</param>
        internal static void Put(string dataPath, IKeyStore store, KeyRing ring, TimeSpan? unlockTimeout)
        {
            while (true)
            {
                var folder = Folders.GetOrAdd(dataPath, path => new Folder(path));
                lock (folder)
                {
                    if (folder.Forgotten)
                    {
                        // Forgotten since it was looked up: this unlock starts a new folder.
                        continue;
                    }
                    folder.Rings[store.CacheKey] = ring;
                    if (!folder.Held.Contains(ring))
                    {
                        folder.Held.Add(ring);
                    }
                    folder.Schedule(unlockTimeout);
                    return;
                }
            }
        }

        /// <summary>Applies a changed unlock timeout to a folder that is unlocked now, counted from when it was unlocked.</summary>
        public static void SetTimeout(string dataPath, TimeSpan? unlockTimeout)
        {
            if (Folders.TryGetValue(dataPath, out var folder))
            {
                lock (folder)
                {
                    if (!folder.Forgotten)
                    {
                        folder.Schedule(unlockTimeout);
                    }
                }
            }
        }

        /// <summary>Forgets every key ring of a data folder and the key file's passphrase key, zeroing their keys (Lock-CtKeyStore).</summary>
        public static int Forget(string dataPath)
        {
            EncryptedFileKeyStore.Lock(System.IO.Path.Combine(dataPath, Storage.DataHome.KeyFileName));
            // One forgetting at a time, and the folder leaves the cache only once its rings are zeroed: a caller that no
            // longer finds it (TryGet, or Forget from another thread such as the unlock timer's) never meets a ring that
            // still holds keys.
            lock (ForgetGate)
            {
                if (!Folders.TryGetValue(dataPath, out var folder))
                {
                    return 0;
                }
                lock (folder)
                {
                    var wiped = folder.Wipe();
                    Folders.TryRemove(dataPath, out _);
                    return wiped;
                }
            }
        }

        /// <summary>Forgets every key ring of every data folder and every passphrase key (Remove-Module CryptoTrader).</summary>
        public static int ForgetAll()
        {
            var forgotten = 0;
            foreach (var path in Folders.Keys)
            {
                forgotten += Forget(path);
            }
            EncryptedFileKeyStore.LockAll();
            return forgotten;
        }

        private sealed class Folder
        {
            private readonly string path;
            private readonly DateTime unlockedAt = DateTime.UtcNow;
            private Timer? expiry;
            private DateTime? expiresAt;

            public Folder(string path)
            {
                this.path = path;
            }

            public ConcurrentDictionary<string, KeyRing> Rings { get; } = new ConcurrentDictionary<string, KeyRing>(StringComparer.Ordinal);

            /// <summary>Every ring held for the folder since it was unlocked: a reload replaces the ring but the old one may still hold keys.</summary>
            public List<KeyRing> Held { get; } = new List<KeyRing>();

            public bool HasExpired => expiresAt is DateTime at && DateTime.UtcNow >= at;

            /// <summary>Wiped and on its way out of the cache: nothing is put in it any more.</summary>
            public bool Forgotten { get; private set; }

            public void Schedule(TimeSpan? timeout)
            {
                var at = timeout is TimeSpan span && span > TimeSpan.Zero ? unlockedAt + span : (DateTime?)null;
                if (at == expiresAt)
                {
                    return;
                }
                expiresAt = at;
                expiry?.Dispose();
                expiry = null;
                if (at is DateTime when)
                {
                    // The timer forgets the rings even when the session sits idle; TryGet also checks, in case it runs late.
                    var due = when - DateTime.UtcNow;
                    expiry = new Timer(_ => Forget(path), null, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
                }
            }

            public int Wipe()
            {
                Forgotten = true;
                expiry?.Dispose();
                foreach (var ring in Held)
                {
                    ring.Wipe();
                }
                var count = Held.Count;
                Held.Clear();
                Rings.Clear();
                return count;
            }
        }
    }
}
