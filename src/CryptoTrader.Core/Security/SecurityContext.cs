using System;
using System.Collections.Generic;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Security
{
    /// <summary>
    /// What the checks look at: the open database and its settings, the key store in use, and facts only the caller
    /// can gather (file modes seen before the database was opened, the session, the vault). The key ring is read
    /// at most once, and only when a check asks for it.
    /// </summary>
    public sealed class SecurityContext
    {
        private readonly Func<KeyRing?> loadKeyRing;
        private bool keyRingLoaded;
        private KeyRing? keyRing;
        private string? keyRingProblem;

        /// <param name="loadKeyRing">Returns the existing key ring, or null when the store holds none; must never create one.</param>
        public SecurityContext(DataHome home, CtDatabase database, CtSettings settings, KeyStoreChoice keyStore, string keyStoreLocation,
            Func<KeyRing?> loadKeyRing)
        {
            Home = home;
            Database = database;
            Settings = settings;
            KeyStore = keyStore;
            KeyStoreLocation = keyStoreLocation;
            this.loadKeyRing = loadKeyRing;
        }

        public DataHome Home { get; }

        public CtDatabase Database { get; }

        public CtSettings Settings { get; }

        public KeyStoreChoice KeyStore { get; }

        public string KeyStoreLocation { get; }

        /// <summary>The data folder and its files as found before the database was opened (opening tightens some of them).</summary>
        public IReadOnlyList<PathAccess> Paths { get; set; } = Array.Empty<PathAccess>();

        /// <summary>Whether CRYPTOTRADER_MASTER_KEY is set in this process.</summary>
        public bool MasterKeyVariableSet { get; set; }

        /// <summary>Whether a person at a console runs this session (not a runbook, job or CI).</summary>
        public bool Interactive { get; set; }

        /// <summary>How the SecretManagement vault of the key store locks; null when the key store is not a vault.</summary>
        public VaultLockState? Vault { get; set; }

        public DateTime UtcNow { get; set; } = DateTime.UtcNow;

        /// <summary>The key ring, or null when it cannot be read; <see cref="KeyRingProblem"/> then says why.</summary>
        public KeyRing? KeyRing
        {
            get
            {
                LoadKeyRingOnce();
                return keyRing;
            }
        }

        /// <summary>Why <see cref="KeyRing"/> is null (locked, unavailable, none yet); null when it was read.</summary>
        public string? KeyRingProblem
        {
            get
            {
                LoadKeyRingOnce();
                return keyRingProblem;
            }
        }

        private void LoadKeyRingOnce()
        {
            if (keyRingLoaded)
            {
                return;
            }
            keyRingLoaded = true;
            try
            {
                keyRing = loadKeyRing();
                if (keyRing is null)
                {
                    keyRingProblem = $"there is no key ring in {KeyStoreLocation} yet";
                }
            }
            catch (CtException e)
            {
                keyRingProblem = $"{e.ErrorId}: {e.Message}";
            }
        }
    }
}
