#if NET
using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Threading;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// AES-128-CBC and HMAC-SHA256 under one Fernet key, set up once and reused by every token under that key
    /// (setting them up costs more than using them on a small token). Neither object is thread-safe: one caller
    /// at a time uses the cached pair, and a caller that finds it busy uses one-shot primitives rather than wait.
    /// </summary>
    internal sealed class FernetPrimitives
    {
        private readonly Aes aes;

        // CBC, zero IV, no padding; see DecryptCbc for why its chaining state never needs a reset.
        private readonly ICryptoTransform decryptor;
        private readonly IncrementalHash hmac;
        private const int BlockSize = 16;
        private int busy;

        public FernetPrimitives(FernetKey key)
        {
            aes = CreateAes(key.EncryptionKey);
            aes.Mode = CipherMode.CBC;
            aes.Padding = PaddingMode.None;
            decryptor = aes.CreateDecryptor();
            byte[] signingKey = key.SigningKey.ToArray();
            hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, signingKey);
            Array.Clear(signingKey, 0, signingKey.Length);
        }

        public void EncryptCbc(FernetKey key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> iv, Span<byte> destination)
        {
            if (TryAcquire())
            {
                try
                {
                    aes.EncryptCbc(plaintext, iv, destination, PaddingMode.PKCS7);
                }
                finally
                {
                    Release();
                }

                return;
            }

            using (Aes temporary = CreateAes(key.EncryptionKey))
            {
                temporary.EncryptCbc(plaintext, iv, destination, PaddingMode.PKCS7);
            }
        }

        /// <summary>Decrypts <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>: the IV, then the ciphertext.</summary>
        /// <exception cref="CryptographicException">The padding is wrong.</exception>
        public byte[] DecryptCbc(FernetKey key, byte[] data, int offset, int count)
        {
            if (!TryAcquire())
            {
                using (Aes temporary = CreateAes(key.EncryptionKey))
                {
                    return temporary.DecryptCbc(
                        new ReadOnlySpan<byte>(data, offset + BlockSize, count - BlockSize),
                        new ReadOnlySpan<byte>(data, offset, BlockSize),
                        PaddingMode.PKCS7);
                }
            }

            byte[] blocks = ArrayPool<byte>.Shared.Rent(count);
            try
            {
                // CBC decrypts block i as D(C[i]) xor C[i-1]. Fed the IV as a leading block, the transform's own
                // chaining state only reaches the first output block, which is discarded; every other block comes
                // out exactly as with this IV. So the transform is reused without resetting its IV.
                int written = decryptor.TransformBlock(data, offset, count, blocks, 0);
                if (written != count)
                {
                    throw new CryptographicException("The cipher held back data.");
                }

                return RemovePadding(new ReadOnlySpan<byte>(blocks, BlockSize, count - BlockSize));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(new Span<byte>(blocks, 0, count));
                ArrayPool<byte>.Shared.Return(blocks);
                Release();
            }
        }

        /// <summary>HMAC-SHA256 of <paramref name="data"/> under the signing key, into 32 bytes of <paramref name="destination"/>.</summary>
        public void Mac(FernetKey key, ReadOnlySpan<byte> data, Span<byte> destination)
        {
            if (TryAcquire())
            {
                try
                {
                    hmac.AppendData(data);
                    hmac.GetHashAndReset(destination);
                }
                catch
                {
                    // Never let a half-fed state leak into the next MAC.
                    hmac.GetHashAndReset();
                    throw;
                }
                finally
                {
                    Release();
                }

                return;
            }

            HmacSha256.Compute(key.SigningKey, data, destination);
        }

        /// <summary>PKCS#7. Only reached after the MAC has verified, so its timing reveals nothing to an attacker.</summary>
        private static byte[] RemovePadding(ReadOnlySpan<byte> padded)
        {
            int padding = padded.Length == 0 ? 0 : padded[padded.Length - 1];
            if (padding < 1 || padding > BlockSize || padding > padded.Length)
            {
                throw new CryptographicException("Invalid padding.");
            }

            for (int i = padded.Length - padding; i < padded.Length; i++)
            {
                if (padded[i] != padding)
                {
                    throw new CryptographicException("Invalid padding.");
                }
            }

            return padded.Slice(0, padded.Length - padding).ToArray();
        }

        private bool TryAcquire() => Interlocked.CompareExchange(ref busy, 1, 0) == 0;

        private void Release() => Volatile.Write(ref busy, 0);

        private static Aes CreateAes(ReadOnlySpan<byte> encryptionKey)
        {
            Aes created = Aes.Create();
            byte[] keyCopy = encryptionKey.ToArray();
            created.Key = keyCopy;
            Array.Clear(keyCopy, 0, keyCopy.Length);
            return created;
        }
    }
}
#endif
