using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Text;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// Several Fernet keys, exactly one of which (never a retired one) is primary: new values are
    /// encrypted with the primary, old values stay readable with the others until they are re-encrypted.
    /// </summary>
    /// <remarks>
    /// Immutable and therefore safe to share between threads: every method that changes the ring
    /// (<see cref="WithNewPrimary(out KeyRingEntry)"/>, <see cref="WithPrimary"/>, <see cref="WithRetired"/>,
    /// <see cref="Remove"/>) returns a new <see cref="KeyRing"/> and leaves this one untouched.
    /// Crash-safe rotation: save the ring returned by WithNewPrimary, re-encrypt every stored value with
    /// <see cref="ReEncrypt"/>, save WithRetired(old), and only then Remove(old).
    /// </remarks>
    public sealed class KeyRing
    {
        private static readonly byte[] SubkeySalt = Encoding.UTF8.GetBytes("CryptoTrader.Subkey.v1");

        private readonly KeyRingEntry[] entries;

        private KeyRing(KeyRingEntry[] entries, KeyRingEntry primary, string? auditAnchor = null)
        {
            this.entries = entries;
            Keys = new ReadOnlyCollection<KeyRingEntry>(entries);
            Primary = primary;
            AuditAnchor = auditAnchor;
        }

        /// <summary>
        /// "sequence:mac" of the newest security-relevant audit record (a key, permission or key ring change) this ring has
        /// seen, kept in the key store with the keys: a database put back from before that record is refused. Null until one.
        /// </summary>
        public string? AuditAnchor { get; }

        /// <summary>The same keys with another audit anchor.</summary>
        public KeyRing WithAuditAnchor(string anchor)
        {
            if (!KeyRingJson.IsAuditAnchor(anchor))
            {
                throw new ArgumentException("An audit anchor is \"<sequence>:<64 hex digits>\".", nameof(anchor));
            }

            return new KeyRing(entries, Primary, anchor);
        }

        /// <summary>All keys, oldest first, including the primary and retired ones.</summary>
        public IReadOnlyList<KeyRingEntry> Keys { get; }

        public KeyRingEntry Primary { get; }

        /// <summary>A ring with one freshly generated primary key.</summary>
        public static KeyRing CreateNew()
        {
            KeyRingEntry entry = new KeyRingEntry(FernetKey.Generate(), CurrentTime(), retired: false);
            return new KeyRing(new[] { entry }, entry);
        }

        /// <summary>
        /// A ring made from Fernet keys in URL-safe base64 (e.g. from an environment variable). The first is
        /// primary; creation times are unknown and set to the Unix epoch.
        /// </summary>
        /// <exception cref="FormatException">No key, a malformed key or a repeated key. The message never contains key text.</exception>
        public static KeyRing FromFernetKeys(IEnumerable<string> base64UrlKeys)
        {
            if (base64UrlKeys is null)
            {
                throw new ArgumentNullException(nameof(base64UrlKeys));
            }

            List<KeyRingEntry> parsed = new List<KeyRingEntry>();
            int position = 0;
            foreach (string text in base64UrlKeys)
            {
                position++;
                FernetKey key;
                try
                {
                    key = FernetKey.Parse(text ?? string.Empty);
                }
                catch (FormatException)
                {
                    throw new FormatException("Key #" + position + " in the list is not a valid Fernet key (32 bytes as URL-safe base64).");
                }

                KeyRingEntry entry = new KeyRingEntry(key, DateTimeOffset.FromUnixTimeSeconds(0), retired: false);
                if (parsed.Exists(existing => existing.Id == entry.Id))
                {
                    throw new FormatException("Key #" + position + " in the list repeats an earlier key (" + entry.Id + ").");
                }

                parsed.Add(entry);
            }

            if (parsed.Count == 0)
            {
                throw new FormatException("The key list contains no keys.");
            }

            return new KeyRing(parsed.ToArray(), parsed[0]);
        }

        /// <summary>Parses keys separated by commas and/or whitespace; the first is primary. See <see cref="FromFernetKeys"/>.</summary>
        public static KeyRing ParseKeyList(string value)
        {
            if (value is null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            return FromFernetKeys(value.Split(new[] { ',', ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries));
        }

        /// <summary>Parses the JSON written by <see cref="Serialize"/>, validating all of it.</summary>
        /// <exception cref="InvalidKeyRingException">Malformed or inconsistent; the message never contains key material.</exception>
        public static KeyRing Deserialize(string json)
        {
            if (json is null)
            {
                throw new ArgumentNullException(nameof(json));
            }

            KeyRingJson.Document document = KeyRingJson.Read(json);
            return new KeyRing(document.Entries, document.Primary, document.AuditAnchor);
        }

        /// <summary>The ring as JSON. The text contains every key in clear: store it only in a key store.</summary>
        public string Serialize()
        {
            return KeyRingJson.Write(entries, Primary, AuditAnchor);
        }

        public KeyRingEntry? Find(string id)
        {
            if (id is null)
            {
                throw new ArgumentNullException(nameof(id));
            }

            foreach (KeyRingEntry entry in entries)
            {
                if (string.Equals(entry.Id, id, StringComparison.Ordinal))
                {
                    return entry;
                }
            }

            return null;
        }

        /// <exception cref="KeyNotFoundInKeyRingException">No key has this id.</exception>
        public KeyRingEntry Get(string id)
        {
            return Find(id) ?? throw new KeyNotFoundInKeyRingException(id);
        }

        /// <summary>A new ring with a freshly generated key as primary; the old keys are kept.</summary>
        public KeyRing WithNewPrimary(out KeyRingEntry added)
        {
            return WithNewPrimary(FernetKey.Generate(), out added);
        }

        /// <summary>A new ring with <paramref name="key"/> added as primary; the old keys are kept.</summary>
        /// <exception cref="InvalidOperationException">The key is already in the ring (use <see cref="WithPrimary"/>).</exception>
        public KeyRing WithNewPrimary(FernetKey key, out KeyRingEntry added)
        {
            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            KeyRingEntry entry = new KeyRingEntry(key, CurrentTime(), retired: false);
            if (Find(entry.Id) is not null)
            {
                throw new InvalidOperationException("Key '" + entry.Id + "' is already in the key ring.");
            }

            KeyRingEntry[] next = new KeyRingEntry[entries.Length + 1];
            Array.Copy(entries, next, entries.Length);
            next[entries.Length] = entry;
            added = entry;
            return new KeyRing(next, entry, AuditAnchor);
        }

        /// <summary>A new ring whose primary is the existing, not retired, key <paramref name="id"/>.</summary>
        public KeyRing WithPrimary(string id)
        {
            KeyRingEntry entry = Get(id);
            if (entry.Retired)
            {
                throw new InvalidOperationException("Key '" + entry.Id + "' is retired and cannot become primary.");
            }

            return new KeyRing(entries, entry, AuditAnchor);
        }

        /// <summary>A new ring in which key <paramref name="id"/> is retired: kept for decryption only.</summary>
        /// <exception cref="InvalidOperationException">The key is the primary.</exception>
        public KeyRing WithRetired(string id)
        {
            KeyRingEntry entry = Get(id);
            if (ReferenceEquals(entry, Primary))
            {
                throw new InvalidOperationException("Key '" + entry.Id + "' is the primary key and cannot be retired; make another key primary first.");
            }

            KeyRingEntry[] next = (KeyRingEntry[])entries.Clone();
            next[Array.IndexOf(entries, entry)] = entry.AsRetired();
            return new KeyRing(next, Primary, AuditAnchor);
        }

        /// <summary>A new ring without key <paramref name="id"/>. Values still encrypted with it become unreadable.</summary>
        /// <exception cref="InvalidOperationException">The key is the primary.</exception>
        public KeyRing Remove(string id)
        {
            KeyRingEntry entry = Get(id);
            if (ReferenceEquals(entry, Primary))
            {
                throw new InvalidOperationException("Key '" + entry.Id + "' is the primary key and cannot be removed; make another key primary first.");
            }

            List<KeyRingEntry> next = new List<KeyRingEntry>(entries);
            next.Remove(entry);
            return new KeyRing(next.ToArray(), Primary, AuditAnchor);
        }

        /// <summary>Encrypts with the primary key.</summary>
        public EncryptedValue Encrypt(byte[] plaintext)
        {
            return new EncryptedValue(Fernet.Encrypt(Primary.Key, plaintext), Primary.Id);
        }

        /// <summary>Decrypts with the key <paramref name="keyId"/> (retired keys included).</summary>
        /// <exception cref="KeyNotFoundInKeyRingException">No key has this id.</exception>
        /// <exception cref="InvalidFernetTokenException">The token is invalid for that key.</exception>
        public byte[] Decrypt(string token, string keyId)
        {
            return Fernet.Decrypt(Get(keyId).Key, token);
        }

        /// <summary>Decrypts with whichever key fits, primary first (like Python's MultiFernet).</summary>
        /// <exception cref="InvalidFernetTokenException">No key in the ring decrypts the token.</exception>
        public byte[] Decrypt(string token)
        {
            if (token is null)
            {
                throw new ArgumentNullException(nameof(token));
            }

            byte[] data = Fernet.DecodeStructure(token);
            foreach (KeyRingEntry entry in TrialOrder())
            {
                try
                {
                    return Fernet.DecryptDecoded(entry.Key, data, ttl: null, now: null);
                }
                catch (InvalidFernetTokenException)
                {
                    // Try the next key.
                }
            }

            throw new InvalidFernetTokenException("no key in the key ring can decrypt it.");
        }

        /// <summary>Decrypts with key <paramref name="keyId"/> and encrypts again with the primary.</summary>
        public string ReEncrypt(string token, string keyId, out string newKeyId)
        {
            byte[] plaintext = Decrypt(token, keyId);
            try
            {
                EncryptedValue encrypted = Encrypt(plaintext);
                newKeyId = encrypted.KeyId;
                return encrypted.Token;
            }
            finally
            {
                Array.Clear(plaintext, 0, plaintext.Length);
            }
        }

        /// <summary>
        /// HKDF-SHA256 with the entry's 32 key bytes as input keying material, salt "CryptoTrader.Subkey.v1"
        /// and <paramref name="purpose"/> (see <see cref="SubkeyPurpose"/>) as info.
        /// </summary>
        public byte[] DeriveSubkey(string keyId, string purpose, int length = 32)
        {
            if (string.IsNullOrEmpty(purpose))
            {
                throw new ArgumentException("A subkey purpose is required.", nameof(purpose));
            }

            if (length <= 0 || length > 255 * 32)
            {
                throw new ArgumentOutOfRangeException(nameof(length), "A subkey must be 1 to 8160 bytes.");
            }

            byte[] ikm = Get(keyId).Key.CopyBytes();
            try
            {
                return Hkdf.DeriveKey(ikm, length, SubkeySalt, Encoding.UTF8.GetBytes(purpose));
            }
            finally
            {
                Array.Clear(ikm, 0, ikm.Length);
            }
        }

        /// <summary>Zeroes every key of the ring (the key ring is forgotten); rings made from it share the keys and are wiped too.</summary>
        internal void Wipe()
        {
            foreach (KeyRingEntry entry in entries)
            {
                entry.Key.Wipe();
            }
        }

        public override string ToString()
        {
            return "KeyRing(primary " + Primary.Id + ", " + entries.Length + (entries.Length == 1 ? " key)" : " keys)");
        }

        private static DateTimeOffset CurrentTime()
        {
            // Whole seconds, so the time survives a round trip through the serialized form unchanged.
            return DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }

        private IEnumerable<KeyRingEntry> TrialOrder()
        {
            yield return Primary;
            for (int i = entries.Length - 1; i >= 0; i--)
            {
                if (!ReferenceEquals(entries[i], Primary))
                {
                    yield return entries[i];
                }
            }
        }
    }
}
