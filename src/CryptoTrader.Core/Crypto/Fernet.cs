using System;
using System.Buffers;
using System.Buffers.Binary;
#if NET
using System.Security.Cryptography;
#endif

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

        private const byte Version = 0x80;
        private const int TimestampOffset = 1;
        private const int IvOffset = 9;
        private const int IvLength = 16;
        private const int CiphertextOffset = IvOffset + IvLength;
        private const int MacLength = HmacSha256.MacLength;
        private const int MinimumTokenLength = CiphertextOffset + AesCbcTransforms.BlockSize + MacLength;

        // Keeps the base64 text of a token within the largest possible .NET string.
        private const int MaxPlaintextLength = (int.MaxValue / 4 * 3) - 1024;

        public static string Encrypt(FernetKey key, byte[] plaintext)
        {
            CheckEncryptArguments(key, plaintext);
            return Seal(key, plaintext, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), iv: null);
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

        /// <summary>
        /// Encrypts the first <paramref name="length"/> bytes of <paramref name="plaintext"/> with a fresh IV into
        /// <paramref name="destination"/> as the token's bytes (its base64url text decoded), at least
        /// <see cref="TokenByteLength"/> long. Allocates nothing on .NET.
        /// </summary>
        /// <returns>The length of the token.</returns>
        internal static int EncryptToBytes(FernetKey key, byte[] plaintext, int length, byte[] destination)
        {
            int tokenLength = TokenByteLength(length);
            if (destination.Length < tokenLength)
            {
                throw new ArgumentException("The destination is too short for the token.", nameof(destination));
            }

            long seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
#if NET
            SealToken(key, destination, plaintext, length, seconds, iv: null, text: Span<char>.Empty);
#else
            byte[] exact = new byte[length];
            Buffer.BlockCopy(plaintext, 0, exact, 0, length);
            byte[] token = Base64Url.TryDecode(Seal(key, exact, seconds, iv: null))!;
            Buffer.BlockCopy(token, 0, destination, 0, tokenLength);
            Array.Clear(exact, 0, length);
#endif
            return tokenLength;
        }

        /// <summary>The length of a token that holds <paramref name="plaintextLength"/> bytes, as bytes (not text).</summary>
        internal static int TokenByteLength(int plaintextLength) => CiphertextOffset + AesCbcTransforms.CiphertextLength(plaintextLength) + MacLength;

        private static int TokenLength(int plaintextLength) => Base64Url.EncodedLength(TokenByteLength(plaintextLength));

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

        /// <param name="iv">Null for a fresh random IV.</param>
        private static string Seal(FernetKey key, byte[] plaintext, long seconds, byte[]? iv)
        {
#if NET
            return string.Create(TokenLength(plaintext.Length), (key, plaintext, seconds, iv), static (text, state) =>
                SealInto(state.key, state.plaintext, state.plaintext.Length, state.seconds, state.iv, text));
        }

        private static void SealInto(FernetKey key, byte[] plaintext, int length, long seconds, byte[]? iv, Span<char> text)
        {
            // The token bytes are all public (they become the text), so a pooled buffer needs no clearing.
            byte[] token = ArrayPool<byte>.Shared.Rent(TokenByteLength(length));
            try
            {
                SealToken(key, token, plaintext, length, seconds, iv, text);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(token);
            }
        }

        /// <summary>Writes the whole token into <paramref name="token"/>, and its text into <paramref name="text"/> unless that is empty.</summary>
        private static void SealToken(FernetKey key, byte[] token, byte[] plaintext, int length, long seconds, byte[]? iv, Span<char> text)
        {
            Span<byte> ivSpan = token.AsSpan(IvOffset, IvLength);
            if (iv is null)
            {
                IvSource.Fill(ivSpan);
            }
            else
            {
                iv.CopyTo(ivSpan);
            }

            token[0] = Version;
            BinaryPrimitives.WriteUInt64BigEndian(token.AsSpan(TimestampOffset), (ulong)seconds);
            FernetPrimitives primitives = key.RentPrimitives();
            try
            {
                if (text.IsEmpty)
                {
                    primitives.Seal(token, plaintext, length);
                }
                else
                {
                    primitives.Seal(token, plaintext, length, text);
                }
            }
            catch
            {
                primitives.Dispose();
                throw;
            }

            key.ReturnPrimitives(primitives);
#else
            int tokenLength = TokenByteLength(plaintext.Length);
            int macOffset = tokenLength - MacLength;
            byte[] token = new byte[tokenLength];
            token[0] = Version;
            BinaryPrimitives.WriteUInt64BigEndian(token.AsSpan(TimestampOffset), (ulong)seconds);
            byte[] ivBytes = iv ?? SecureRandom.Bytes(IvLength);
            Buffer.BlockCopy(ivBytes, 0, token, IvOffset, IvLength);
            AesCbcTransforms.EncryptInto(key.EncryptionKey, ivBytes, plaintext, token, CiphertextOffset);
            byte[] mac = HmacSha256.Compute(key.SigningKey, token, 0, macOffset);
            Buffer.BlockCopy(mac, 0, token, macOffset, MacLength);
            return Base64Url.Encode(token);
#endif
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

#if NET
            byte[] data = RentDecoded(token.AsSpan(), out int length);
            try
            {
                return DecryptDecoded(key, data, length, ttl, now);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(data);
            }
#else
            return DecryptDecoded(key, DecodeStructure(token), ttl, now);
#endif
        }

        /// <summary>
        /// Verifies and decrypts a token given as its bytes (its base64url text decoded, as the credentials table stores
        /// it), without a time check, into <paramref name="destination"/>, at least <paramref name="token"/>'s length.
        /// Allocates nothing on .NET.
        /// </summary>
        /// <returns>The length of the plaintext.</returns>
        /// <exception cref="InvalidFernetTokenException">Any failure; the message gives only a generic reason.</exception>
        internal static int DecryptBytes(FernetKey key, ReadOnlySpan<byte> token, Span<byte> destination)
        {
            CheckStructure(token);
            byte[] data = ArrayPool<byte>.Shared.Rent(token.Length);
            try
            {
                token.CopyTo(data);
#if NET
                return DecryptChecked(key, data, token.Length, ttl: null, now: null, destination);
#else
                byte[] plaintext = DecryptDecoded(key, data, token.Length, ttl: null, now: null);
                plaintext.CopyTo(destination);
                Array.Clear(plaintext, 0, plaintext.Length);
                return plaintext.Length;
#endif
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(data);
            }
        }

#if NET
        /// <summary>The token's bytes, base64url-decoded into a pooled buffer and checked like <see cref="DecodeStructure"/>.</summary>
        private static byte[] RentDecoded(ReadOnlySpan<char> token, out int length)
        {
            byte[] data = ArrayPool<byte>.Shared.Rent(Base64Url.MaxDecodedLength(token.Length));
            try
            {
                bool decoded = Base64Url.TryDecode(token, data, out length);
                CheckDecoded(decoded, data.AsSpan(0, length));
                return data;
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(data);
                throw;
            }
        }
#endif

        private static void CheckDecoded(bool decoded, ReadOnlySpan<byte> data)
        {
            if (!decoded)
            {
                throw new InvalidFernetTokenException("not URL-safe base64.");
            }

            CheckStructure(data);
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
            CheckDecoded(data != null, data);
            return data!;
        }

        private static void CheckStructure(ReadOnlySpan<byte> data)
        {
            if (data.Length < MinimumTokenLength
                || (data.Length - CiphertextOffset - MacLength) % AesCbcTransforms.BlockSize != 0)
            {
                throw new InvalidFernetTokenException("wrong length.");
            }

            if (data[0] != Version)
            {
                throw new InvalidFernetTokenException("unknown version.");
            }
        }

        /// <param name="data">Output of <see cref="DecodeStructure"/>.</param>
        internal static byte[] DecryptDecoded(FernetKey key, byte[] data, TimeSpan? ttl, DateTimeOffset? now) =>
            DecryptDecoded(key, data, data.Length, ttl, now);

        /// <param name="buffer">A checked token in its first <paramref name="length"/> bytes.</param>
        private static byte[] DecryptDecoded(FernetKey key, byte[] buffer, int length, TimeSpan? ttl, DateTimeOffset? now)
        {
#if NET
            FernetPrimitives primitives = key.RentPrimitives();
            try
            {
                int macOffset = CheckMac(primitives, buffer, length, ttl, now);
                try
                {
                    return primitives.DecryptCbc(buffer, IvOffset, macOffset - IvOffset);
                }
                catch (CryptographicException)
                {
                    throw BadPadding();
                }
            }
            finally
            {
                key.ReturnPrimitives(primitives);
            }
#else
            ReadOnlySpan<byte> data = new ReadOnlySpan<byte>(buffer, 0, length);
            int macOffset = length - MacLength;
            byte[] expectedMac = HmacSha256.Compute(key.SigningKey, buffer, 0, macOffset);
            CheckMacAndAge(expectedMac, data, ttl, now);
            try
            {
                return AesCbcTransforms.Decrypt(key.EncryptionKey, data.Slice(IvOffset, IvLength).ToArray(), buffer, CiphertextOffset, macOffset - CiphertextOffset);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                throw BadPadding();
            }
#endif
        }

#if NET
        /// <summary><see cref="DecryptDecoded(FernetKey, byte[], int, TimeSpan?, DateTimeOffset?)"/> into <paramref name="destination"/>.</summary>
        /// <returns>The length of the plaintext.</returns>
        private static int DecryptChecked(FernetKey key, byte[] buffer, int length, TimeSpan? ttl, DateTimeOffset? now, Span<byte> destination)
        {
            FernetPrimitives primitives = key.RentPrimitives();
            try
            {
                int macOffset = CheckMac(primitives, buffer, length, ttl, now);
                try
                {
                    return primitives.DecryptCbc(buffer, IvOffset, macOffset - IvOffset, destination);
                }
                catch (CryptographicException)
                {
                    throw BadPadding();
                }
            }
            finally
            {
                key.ReturnPrimitives(primitives);
            }
        }

        /// <summary>Checks the MAC (and age) of the checked token in <paramref name="buffer"/>.</summary>
        /// <returns>Where the MAC starts: the end of the ciphertext.</returns>
        private static int CheckMac(FernetPrimitives primitives, byte[] buffer, int length, TimeSpan? ttl, DateTimeOffset? now)
        {
            ReadOnlySpan<byte> data = new ReadOnlySpan<byte>(buffer, 0, length);
            int macOffset = length - MacLength;
            Span<byte> expectedMac = stackalloc byte[MacLength];
            primitives.Mac(data.Slice(0, macOffset), expectedMac);
            CheckMacAndAge(expectedMac, data, ttl, now);
            return macOffset;
        }
#endif

        private static void CheckMacAndAge(ReadOnlySpan<byte> expectedMac, ReadOnlySpan<byte> data, TimeSpan? ttl, DateTimeOffset? now)
        {
            if (!ConstantTime.Equals(expectedMac, data.Slice(data.Length - MacLength, MacLength)))
            {
                throw new InvalidFernetTokenException("signature does not match (tampered, or another key).");
            }

            if (ttl.HasValue)
            {
                CheckAge(ReadTimestamp(data), ttl.Value, now ?? DateTimeOffset.UtcNow);
            }
        }

        // Only reachable with a valid MAC, so this is not a padding oracle.
        private static InvalidFernetTokenException BadPadding() => new InvalidFernetTokenException("bad padding.");

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

        private static ulong ReadTimestamp(ReadOnlySpan<byte> data)
        {
            return BinaryPrimitives.ReadUInt64BigEndian(data.Slice(TimestampOffset, 8));
        }
    }
}
