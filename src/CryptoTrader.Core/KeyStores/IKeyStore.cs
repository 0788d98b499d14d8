using CryptoTrader.Core.Crypto;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>A place that keeps the master key ring. Implementations never log or echo key material.</summary>
    public interface IKeyStore
    {
        KeyStoreKind Kind { get; }

        /// <summary>Where the key ring is, for people: a path, a vault and secret name, a variable name.</summary>
        string Location { get; }

        /// <summary>Identifies the store instance in the session cache.</summary>
        string CacheKey { get; }

        /// <summary>The stored key ring, or null when the store holds none yet.</summary>
        KeyRing? Load();

        /// <summary>Creates or replaces the stored key ring.</summary>
        void Save(KeyRing ring);

        /// <summary>Removes the stored key ring (Move-CtKeyRing, once the ring is safe in another store); false when there was none.</summary>
        bool Delete();
    }
}
