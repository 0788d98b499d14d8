using System;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// Fernet tokens exactly as https://github.com/fernet/spec defines them:
    /// base64url(0x80 ‖ big-endian uint64 seconds ‖ IV[16] ‖ AES-128-CBC/PKCS#7 ciphertext ‖ HMAC-SHA256[32]).
    /// Interoperable with Python's <c>cryptography.fernet</c>.
    /// </summary>
    public static class Fernet
    {
        /// <summary>Tokens may carry a timestamp at most this far ahead of the verifier's clock.</summary>
        public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(60);

        internal const byte Version = 0x80;
        internal const int TimestampOffset = 1;
        internal const int IvOffset = 9;
        internal const int IvLength = 16;
        internal const int CiphertextOffset = IvOffset + IvLength;
        internal const int MacLength = HmacSha256.MacLength;
        private const int MinimumTokenLength = CiphertextOffset + AesCbc.BlockSize + MacLength;

        // Keeps the base64 text of a token within the largest possible .NET string.
        private const int MaxPlaintextLength = (int.MaxValue / 4 * 3) - 1024;

        public static string Encrypt(FernetKey key, byte[] plaintext)
        {
            CheckEncryptArguments(key, plaintext);
            return Seal(key, plaintext, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), SecureRandom.Bytes(IvLength));
        }

        /// <summary>Encrypts with a caller-chosen clock and IV; only the spec's generate vectors need this.</summary>
        internal static string Encrypt(FernetKey key, byte[] plaintext, DateTimeOffset now, byte[] iv)
        {
            CheckEncryptArguments(key, plaintext);
            if (iv is null || iv.Length != IvLength)
            {
                throw new ArgumentException("The IV must be 16 bytes.", nameof(iv));
            }

            long seconds = now.ToUnixTimeSeconds();
            if (seconds < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(now), "A Fernet timestamp cannot be before 1970.");
            }

            return Seal(key, plaintext, seconds, iv);
        }

        private static void CheckEncryptArguments(FernetKey key, byte[] plaintext)
        {
            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            if (plaintext is null)
            {
                throw new ArgumentNullException(nameof(plaintext));
            }

            if (plaintext.Length > MaxPlaintextLength)
            {
                throw new ArgumentException("The plaintext is too large for a Fernet token.", nameof(plaintext));
            }
        }

        private static string Seal(FernetKey key, byte[] plaintext, long seconds, byte[] iv)
        {
            return WithKey(key.CopyEncryptionKey(), encryptionKey =>
                WithKey(key.CopySigningKey(), signingKey => FernetTokenWriter.Write(encryptionKey, signingKey, plaintext, seconds, iv)));
        }

        /// <summary>
        /// Verifies and decrypts a token. The MAC is checked (in constant time) before anything else is trusted.
        /// </summary>
        /// <param name="ttl">
        /// When given, the token must be no older than this, and its timestamp no more than
        /// <see cref="MaxClockSkew"/> in the future (as Python's <c>Fernet.decrypt(token, ttl)</c>).
        /// Without it no time check is made.
        /// </param>
        /// <param name="now">The verifier's clock; defaults to the current time.</param>
        /// <exception cref="InvalidFernetTokenException">Any failure; the message gives only a generic reason.</exception>
        public static byte[] Decrypt(FernetKey key, string token, TimeSpan? ttl = null, DateTimeOffset? now = null)
        {
            if (key is null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            if (token is null)
            {
                throw new ArgumentNullException(nameof(token));
            }

            if (ttl.HasValue && ttl.Value < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(ttl), "The time-to-live must not be negative.");
            }

            return DecryptDecoded(key, DecodeStructure(token), ttl, now);
        }

        /// <summary>The token's creation time. Checks the token's structure only: the MAC is NOT verified.</summary>
        /// <exception cref="InvalidFernetTokenException">The token is malformed.</exception>
        public static DateTimeOffset GetTimestamp(string token)
        {
            if (token is null)
            {
                throw new ArgumentNullException(nameof(token));
            }

            ulong seconds = ReadTimestamp(DecodeStructure(token));
            if (seconds > (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            {
                throw new InvalidFernetTokenException("timestamp out of range.");
            }

            return DateTimeOffset.FromUnixTimeSeconds((long)seconds);
        }

        /// <summary>Base64url-decodes and checks version and length, so later steps may index freely.</summary>
        internal static byte[] DecodeStructure(string token)
        {
            byte[]? data = Base64Url.TryDecode(token);
            if (data is null)
            {
                throw new InvalidFernetTokenException("not URL-safe base64.");
            }

            if (data.Length < MinimumTokenLength || (data.Length - CiphertextOffset - MacLength) % AesCbc.BlockSize != 0)
            {
                throw new InvalidFernetTokenException("wrong length.");
            }

            if (data[0] != Version)
            {
                throw new InvalidFernetTokenException("unknown version.");
            }

            return data;
        }

        /// <param name="data">Output of <see cref="DecodeStructure"/>.</param>
        internal static byte[] DecryptDecoded(FernetKey key, byte[] data, TimeSpan? ttl, DateTimeOffset? now)
        {
            int macOffset = data.Length - MacLength;
            byte[] expectedMac = WithKey(key.CopySigningKey(), signingKey => HmacSha256.Compute(signingKey, data, 0, macOffset));
            if (!ConstantTime.Equals(expectedMac, 0, data, macOffset, MacLength))
            {
                throw new InvalidFernetTokenException("signature does not match (tampered, or another key).");
            }

            if (ttl.HasValue)
            {
                CheckAge(ReadTimestamp(data), ttl.Value, now ?? DateTimeOffset.UtcNow);
            }

            byte[] iv = new ReadOnlySpan<byte>(data, IvOffset, IvLength).ToArray();
            try
            {
                return WithKey(key.CopyEncryptionKey(), encryptionKey => AesCbc.Decrypt(encryptionKey, iv, data, CiphertextOffset, macOffset - CiphertextOffset));
            }
            catch (CryptographicException)
            {
                // Only reachable with a valid MAC, so this is not a padding oracle.
                throw new InvalidFernetTokenException("bad padding.");
            }
        }

        private static void CheckAge(ulong timestamp, TimeSpan ttl, DateTimeOffset now)
        {
            long nowSeconds = now.ToUnixTimeSeconds();
            long ttlSeconds = ttl.Ticks / TimeSpan.TicksPerSecond;
            long latestAcceptable = nowSeconds + (long)MaxClockSkew.TotalSeconds;
            if (latestAcceptable < 0 || timestamp > (ulong)latestAcceptable)
            {
                throw new InvalidFernetTokenException("timestamp is too far in the future.");
            }

            // timestamp + ttl < now, arranged so nothing overflows.
            if ((long)timestamp < nowSeconds - ttlSeconds)
            {
                throw new InvalidFernetTokenException("token has expired.");
            }
        }

        private static ulong ReadTimestamp(byte[] data) => BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(TimestampOffset, 8));

        /// <summary>Runs <paramref name="use"/> with a copy of key material and clears the copy.</summary>
        private static T WithKey<T>(byte[] keyCopy, Func<byte[], T> use)
        {
            try
            {
                return use(keyCopy);
            }
            finally
            {
                Array.Clear(keyCopy, 0, keyCopy.Length);
            }
        }
    }
}
