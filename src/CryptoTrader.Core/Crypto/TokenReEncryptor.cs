using System;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// Re-encrypts Fernet tokens, given and returned as their bytes (as the credentials table stores them), under a
    /// ring's primary key without allocating per token: key rotation moves thousands of them, and the garbage a string
    /// per token makes costs more than the cryptography. Not thread-safe: one instance per thread. Disposing clears
    /// its plaintext buffer.
    /// </summary>
    internal sealed class TokenReEncryptor : IDisposable
    {
        private readonly KeyRing ring;
        private byte[] plaintext = Array.Empty<byte>();
        private byte[] newToken = Array.Empty<byte>();

        public TokenReEncryptor(KeyRing ring)
        {
            this.ring = ring;
        }

        /// <summary>The token decrypted with key <paramref name="keyId"/> and encrypted again with the primary.</summary>
        /// <returns>The new token's bytes, valid until the next call.</returns>
        /// <exception cref="KeyNotFoundInKeyRingException">No key has this id.</exception>
        /// <exception cref="InvalidFernetTokenException">The token is invalid for that key.</exception>
        public ReadOnlySpan<byte> ReEncrypt(ReadOnlySpan<byte> token, string keyId)
        {
            FernetKey key = ring.Get(keyId).Key;
            Grow(ref plaintext, token.Length);
            int plaintextLength = Fernet.DecryptBytes(key, token, plaintext);
            try
            {
                Grow(ref newToken, Fernet.TokenByteLength(plaintextLength));
                int length = Fernet.EncryptToBytes(ring.Primary.Key, plaintext, plaintextLength, newToken);
                return new ReadOnlySpan<byte>(newToken, 0, length);
            }
            finally
            {
                Array.Clear(plaintext, 0, plaintextLength);
            }
        }

        public void Dispose()
        {
            Array.Clear(plaintext, 0, plaintext.Length);
        }

        private static void Grow(ref byte[] buffer, int length)
        {
            if (buffer.Length < length)
            {
                Array.Clear(buffer, 0, buffer.Length);
                buffer = new byte[length];
            }
        }
    }
}
