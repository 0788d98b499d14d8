using System;
using System.Security.Cryptography;
using System.Text;
using CryptoTrader.Core.Crypto;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// A Fernet key derived from a passphrase with PBKDF2-HMAC-SHA256, plus the salt and cost that made it and whether the
    /// passphrase was NFC-normalized first (every new key file; files written before that derive from the text as typed).
    /// </summary>
    public sealed class PassphraseKey
    {
        public const int MinimumIterations = 600_000;

        /// <summary>Ten times the cost this module writes: a few seconds of PBKDF2 at most.</summary>
        public const int MaximumIterations = 6_000_000;
        public const int SaltLength = 16;

        private PassphraseKey(FernetKey key, byte[] salt, int iterations, bool normalized)
        {
            Key = key;
            Salt = salt;
            Iterations = iterations;
            Normalized = normalized;
        }

        internal FernetKey Key { get; }

        public byte[] Salt { get; }

        public int Iterations { get; }

        /// <summary>Whether the passphrase was NFC-normalized before derivation.</summary>
        public bool Normalized { get; }

        public static PassphraseKey Derive(char[] passphrase, byte[] salt, int iterations, bool normalized)
        {
            var text = normalized ? PassphrasePolicy.Normalize(passphrase) : passphrase;
            var passwordBytes = Encoding.UTF8.GetBytes(text);
            try
            {
                var raw = Pbkdf2(passwordBytes, salt, iterations);
                var key = FernetKey.FromBytes(raw);
                Array.Clear(raw, 0, raw.Length);
                return new PassphraseKey(key, (byte[])salt.Clone(), iterations, normalized);
            }
            finally
            {
                Array.Clear(passwordBytes, 0, passwordBytes.Length);
                if (normalized)
                {
                    Array.Clear(text, 0, text.Length);
                }
            }
        }

        /// <summary>The key of a new key file: a fresh salt, the module's cost, the passphrase NFC-normalized.</summary>
        public static PassphraseKey DeriveNew(char[] passphrase) =>
            Derive(passphrase, SecureRandom.Bytes(SaltLength), MinimumIterations, normalized: true);

        private static byte[] Pbkdf2(byte[] password, byte[] salt, int iterations)
        {
            using var kdf = new Rfc2898DeriveBytes(password, salt, iterations, HashAlgorithmName.SHA256);
            return kdf.GetBytes(32);
        }

        /// <summary>Zeroes the key (the key file is locked again).</summary>
        internal void Wipe() => Key.Wipe();

        public override string ToString() => $"PassphraseKey(PBKDF2-HMAC-SHA256, {Iterations} iterations)";
    }
}
