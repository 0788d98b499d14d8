using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.KeyStores.Keyring
{
    /// <summary>
    /// The key ring as one item in the OS keyring, named by the attributes application=CryptoTrader and
    /// data-folder=&lt;full path&gt;, so each data folder has its own. Rotation replaces the item in place.
    /// </summary>
    public sealed class KeyringKeyStore : IKeyStore
    {
        public const string Application = "CryptoTrader";
        public const string DataFolderAttribute = "data-folder";

        private readonly IKeyringBackend backend;

        public KeyringKeyStore(IKeyringBackend backend, string dataFolder)
        {
            this.backend = backend;
            DataFolder = Path.GetFullPath(dataFolder);
            Key = ItemKey(DataFolder);
        }

        public string DataFolder { get; }

        public KeyringItemKey Key { get; }

        public string Label => $"CryptoTrader key ring ({DataFolder})";

        public KeyStoreKind Kind => KeyStoreKind.Keyring;

        public string Location => $"{backend.Name} item '{Label}'";

        public string CacheKey => "keyring:" + DataFolder;

        public static KeyringItemKey ItemKey(string dataFolder) => new KeyringItemKey(new Dictionary<string, string>
        {
            [KeyringItemKey.ApplicationAttribute] = Application,
            [DataFolderAttribute] = Path.GetFullPath(dataFolder),
        });

        public KeyRing? Load()
        {
            var bytes = backend.Read(Key);
            if (bytes is null)
            {
                return null;
            }
            try
            {
                return KeyRing.Deserialize(Encoding.UTF8.GetString(bytes));
            }
            catch (Exception e) when (e is InvalidKeyRingException || e is ArgumentException || e is FormatException)
            {
                throw new CtException(ErrorIds.KeyringItemUnreadable, CtErrorKind.InvalidData,
                    $"The {Location} exists but holds no valid key ring ({e.Message}). Restore it from a backup; CryptoTrader will not replace it.",
                    Location, e);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }

        public void Save(KeyRing ring)
        {
            var bytes = Encoding.UTF8.GetBytes(ring.Serialize());
            try
            {
                backend.Write(Key, Label, bytes);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }

        /// <summary>Removes the key ring item (tests, and people who move a data folder).</summary>
        public bool Delete() => backend.Delete(Key);
    }
}
