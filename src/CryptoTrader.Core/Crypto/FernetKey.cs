using System;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// A Fernet key: 32 bytes, the 16-byte HMAC-SHA256 signing key followed by the 16-byte AES-128 encryption key.
    /// Immutable until <see cref="Wipe"/>, which zeroes the bytes when the key ring is forgotten; every use copies the
    /// bytes under a lock first, so a wipe can make a later use fail but never makes one run with a half-zeroed key.
    /// <see cref="ToString"/> never shows the key.
    /// </summary>
    public sealed class FernetKey
    {
        public const int Length = 32;
        private const int HalfLength = 16;

        private readonly byte[] bytes;
        private readonly object gate = new object();
        private bool wiped;

        private FernetKey(byte[] bytes)
        {
            this.bytes = bytes;
        }

        /// <summary>The 32 key bytes, copied; the caller clears them.</summary>
        internal byte[] CopyBytes() => Copy(0, Length);

        /// <summary>The HMAC-SHA256 half, copied; the caller clears it.</summary>
        internal byte[] CopySigningKey() => Copy(0, HalfLength);

        /// <summary>The AES-128 half, copied; the caller clears it.</summary>
        internal byte[] CopyEncryptionKey() => Copy(HalfLength, HalfLength);

        /// <summary>Zeroes the key (Lock-CtKeyStore, the unlock timeout, Remove-Module); any later use fails with KeyStoreLocked.</summary>
        internal void Wipe()
        {
            lock (gate)
            {
                Array.Clear(bytes, 0, bytes.Length);
                wiped = true;
            }
        }

        private byte[] Copy(int offset, int count)
        {
            lock (gate)
            {
                if (wiped)
                {
                    throw new CtException(ErrorIds.KeyStoreLocked, CtErrorKind.SecurityError,
                        "The key ring was forgotten (Lock-CtKeyStore, the unlock timeout or Remove-Module) while this command used it; it did not complete. Unlock the key store again and rerun it.",
                        "key ring");
                }
                return new ReadOnlySpan<byte>(bytes, offset, count).ToArray();
            }
        }

        public static FernetKey Generate()
        {
            return new FernetKey(SecureRandom.Bytes(Length));
        }

        /// <summary>Parses the URL-safe base64 text of a key, as Python's <c>Fernet.generate_key()</c> produces.</summary>
        /// <exception cref="FormatException">The text is not a 32-byte URL-safe base64 key. The message never repeats the text.</exception>
        public static FernetKey Parse(string base64Url)
        {
            if (base64Url is null)
            {
                throw new ArgumentNullException(nameof(base64Url));
            }

            byte[]? decoded = Base64Url.TryDecode(base64Url.Trim());
            if (decoded is null || decoded.Length != Length)
            {
                if (decoded is not null)
                {
                    Array.Clear(decoded, 0, decoded.Length);
                }

                throw new FormatException("A Fernet key must be 32 bytes written as URL-safe base64 (44 characters).");
            }

            return new FernetKey(decoded);
        }

        /// <summary>A key from 32 raw bytes (a passphrase-derived key, for instance); the bytes are copied.</summary>
        internal static FernetKey FromBytes(ReadOnlySpan<byte> raw)
        {
            if (raw.Length != Length)
            {
                throw new ArgumentException("A Fernet key is exactly 32 bytes.", nameof(raw));
            }

            return new FernetKey(raw.ToArray());
        }

        /// <summary>The key as '='-padded URL-safe base64: this is secret material, handle it as such.</summary>
        public string ToBase64Url()
        {
            byte[] copy = CopyBytes();
            try
            {
                return Base64Url.Encode(copy);
            }
            finally
            {
                Array.Clear(copy, 0, copy.Length);
            }
        }

        public override string ToString()
        {
            return "FernetKey(****)";
        }
    }
}
