using System;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// A Fernet key: 32 bytes, the 16-byte HMAC-SHA256 signing key followed by the 16-byte AES-128 encryption key.
    /// Immutable. <see cref="ToString"/> never shows the key.
    /// </summary>
    public sealed class FernetKey
    {
        public const int Length = 32;
        private const int HalfLength = 16;

        private readonly byte[] bytes;

        private FernetKey(byte[] bytes)
        {
            this.bytes = bytes;
        }

        internal ReadOnlySpan<byte> RawBytes => bytes;

        internal ReadOnlySpan<byte> SigningKey => new ReadOnlySpan<byte>(bytes, 0, HalfLength);

        internal ReadOnlySpan<byte> EncryptionKey => new ReadOnlySpan<byte>(bytes, HalfLength, HalfLength);

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
            return Base64Url.Encode(bytes);
        }

        public override string ToString()
        {
            return "FernetKey(****)";
        }
    }
}
