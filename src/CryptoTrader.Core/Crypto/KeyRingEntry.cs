using System;
using System.Security.Cryptography;
using System.Text;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>One key of a <see cref="KeyRing"/>. Immutable. <see cref="ToString"/> shows the id only.</summary>
    public sealed class KeyRingEntry
    {
        private const string IdDomain = "CryptoTrader.KeyId.v1";
        private const int IdHexBytes = 8;

        internal KeyRingEntry(FernetKey key, DateTimeOffset created, bool retired)
        {
            Key = key ?? throw new ArgumentNullException(nameof(key));
            Id = ComputeId(key);
            Created = created.ToUniversalTime();
            Retired = retired;
        }

        /// <summary>"k" + 16 lowercase hex digits, derived from the key itself (see <see cref="ComputeId"/>).</summary>
        public string Id { get; }

        public DateTimeOffset Created { get; }

        public FernetKey Key { get; }

        /// <summary>A retired key is kept only to decrypt old tokens; it never encrypts and can never be primary.</summary>
        public bool Retired { get; }

        /// <summary>
        /// "k" + the first 16 lowercase hex digits of SHA-256("CryptoTrader.KeyId.v1" ‖ the 32 key bytes):
        /// the same key always gets the same id, wherever it was imported from.
        /// </summary>
        public static string ComputeId(FernetKey key)
        {
            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            byte[] domain = Encoding.UTF8.GetBytes(IdDomain);
            byte[] input = new byte[domain.Length + FernetKey.Length];
            Buffer.BlockCopy(domain, 0, input, 0, domain.Length);
            byte[] raw = key.CopyBytes();
            Buffer.BlockCopy(raw, 0, input, domain.Length, raw.Length);
            Array.Clear(raw, 0, raw.Length);
            try
            {
                byte[] hash;
                using (SHA256 sha256 = SHA256.Create())
                {
                    hash = sha256.ComputeHash(input);
                }
                return "k" + Hex.ToLower(hash, IdHexBytes);
            }
            finally
            {
                Array.Clear(input, 0, input.Length);
            }
        }

        /// <summary>Whether <paramref name="text"/> has the shape of a key id (so it is safe to echo in messages).</summary>
        internal static bool IsWellFormedId(string? text)
        {
            if (text is null || text.Length != 1 + (2 * IdHexBytes) || text[0] != 'k')
            {
                return false;
            }

            for (int i = 1; i < text.Length; i++)
            {
                char c = text[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                {
                    return false;
                }
            }

            return true;
        }

        internal KeyRingEntry AsRetired()
        {
            return new KeyRingEntry(Key, Created, retired: true);
        }

        public override string ToString()
        {
            return Id;
        }
    }
}
