using System;
using System.Collections.Concurrent;
using CryptoTrader.Core.Crypto;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// Key rings already read in this process, so a vault is asked once per session and not on every call.
    /// Keyed by data folder and store; safe to use from several runspaces at once.
    /// </summary>
    public static class KeyRingCache
    {
        private static readonly ConcurrentDictionary<string, KeyRing> Rings = new ConcurrentDictionary<string, KeyRing>(StringComparer.Ordinal);

        internal static bool TryGet(string dataPath, IKeyStore store, out KeyRing ring) => Rings.TryGetValue(Key(dataPath, store), out ring!);

        internal static void Put(string dataPath, IKeyStore store, KeyRing ring) => Rings[Key(dataPath, store)] = ring;

        /// <summary>Forgets every key ring of a data folder (Lock-CtKeyStore).</summary>
        public static int Forget(string dataPath)
        {
            var prefix = dataPath + "|";
            var removed = 0;
            foreach (var key in Rings.Keys)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal) && Rings.TryRemove(key, out _))
                {
                    removed++;
                }
            }
            return removed;
        }

        private static string Key(string dataPath, IKeyStore store) => dataPath + "|" + store.CacheKey;
    }
}
