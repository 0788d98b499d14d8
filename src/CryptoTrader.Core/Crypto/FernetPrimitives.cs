#if NET
using System;
using System.Buffers;
using System.Security.Cryptography;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// AES-128-CBC and HMAC-SHA256 under one Fernet key, set up once and reused by every token under that key
    /// (setting them up costs more than using them on a small token). Not thread-safe: a caller rents an instance
    /// from its <see cref="FernetKey"/> and has it to itself until it returns it.
    /// </summary>
    internal sealed class FernetPrimitives : IDisposable
    {
        private const int BlockSize = 16;
        private const int IvOffset = 9;
        private const int CiphertextOffset = IvOffset + BlockSize;
        private const int MacLength = 32;

        // Sealed in chunks this long: a multiple of the block size and of 3 (base64), small enough for the cache.
        private const int ChunkLength = 48 * 1024;

        private readonly Aes aes;

        // CBC, zero IV, no padding; see DecryptCbc for why its chaining state never needs a reset.
        private readonly ICryptoTransform decryptor;

        // CBC, zero IV, no padding; it chains from the last block it encrypted, kept in `chain` (see EncryptFirstBlock).
        private readonly ICryptoTransform encryptor;
        private readonly byte[] chain = new byte[BlockSize];
        private readonly byte[] block = new byte[BlockSize];
        private readonly IncrementalHash hmac;

        public FernetPrimitives(FernetKey key)
        {
            aes = CreateAes(key.EncryptionKey);
            aes.Mode = CipherMode.CBC;
            aes.Padding = PaddingMode.None;
            decryptor = aes.CreateDecryptor(aes.Key, new byte[BlockSize]);
            encryptor = aes.CreateEncryptor(aes.Key, new byte[BlockSize]);
            byte[] signingKey = key.SigningKey.ToArray();
            hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, signingKey);
            Array.Clear(signingKey, 0, signingKey.Length);
        }

        /// <summary>
        /// Finishes a token whose first 25 bytes (version, timestamp, IV) are written in <paramref name="token"/>:
        /// encrypts the first <paramref name="plaintextLength"/> bytes of <paramref name="plaintext"/> after them,
        /// appends the MAC, and writes the base64url text at the start of <paramref name="text"/>.
        /// AES, HMAC and base64 run chunk by chunk, so each chunk is still in the cache for the next step.
        /// </summary>
        /// <remarks>After an exception the encryptor's chaining state is unknown: dispose this instance, do not reuse it.</remarks>
        public void Seal(byte[] token, byte[] plaintext, int plaintextLength, Span<char> text)
        {
            int wholeBlocks = plaintextLength / BlockSize * BlockSize;
            int macOffset = CiphertextOffset + wholeBlocks + BlockSize;
            int encoded = 0;
            for (int done = 0; done < wholeBlocks;)
            {
                int count = Math.Min(ChunkLength, wholeBlocks - done);
                if (done == 0)
                {
                    EncryptFirstBlock(token, plaintext, 0, BlockSize);
                    if (count > BlockSize)
                    {
                        encryptor.TransformBlock(plaintext, BlockSize, count - BlockSize, token, CiphertextOffset + BlockSize);
                    }
                }
                else
                {
                    encryptor.TransformBlock(plaintext, done, count, token, CiphertextOffset + done);
                }

                done += count;
                int final = (CiphertextOffset + done) / 3 * 3;
                MacAndEncode(token, encoded, final, text);
                encoded = final;
            }

            // The last block: the rest of the plaintext and PKCS#7 padding (a whole block of it when nothing is left).
            int rest = plaintextLength - wholeBlocks;
            if (wholeBlocks == 0)
            {
                EncryptFirstBlock(token, plaintext, 0, rest);
            }
            else
            {
                Buffer.BlockCopy(plaintext, wholeBlocks, block, 0, rest);
                block.AsSpan(rest).Fill((byte)(BlockSize - rest));
                encryptor.TransformBlock(block, 0, BlockSize, token, macOffset - BlockSize);
            }

            Buffer.BlockCopy(token, macOffset - BlockSize, chain, 0, BlockSize);
            hmac.AppendData(token, encoded, macOffset - encoded);
            hmac.GetHashAndReset(token.AsSpan(macOffset, MacLength));
            Base64Url.EncodeInto(token.AsSpan(encoded, macOffset + MacLength - encoded), text.Slice(encoded / 3 * 4));
        }

        /// <summary>
        /// Finishes a token whose first 25 bytes (version, timestamp, IV) are written in <paramref name="token"/>, as
        /// bytes only: the padded plaintext is copied after them and encrypted in place in one call (a small token
        /// costs a call into the cipher per piece more than it costs to encrypt), then the MAC is appended.
        /// </summary>
        /// <remarks>After an exception the encryptor's chaining state is unknown: dispose this instance, do not reuse it.</remarks>
        public void Seal(byte[] token, byte[] plaintext, int plaintextLength)
        {
            int paddedLength = (plaintextLength / BlockSize + 1) * BlockSize;
            int macOffset = CiphertextOffset + paddedLength;
            Span<byte> body = token.AsSpan(CiphertextOffset, paddedLength);
            try
            {
                plaintext.AsSpan(0, plaintextLength).CopyTo(body);
                body.Slice(plaintextLength).Fill((byte)(paddedLength - plaintextLength));
                // As in EncryptFirstBlock: cancel the encryptor's chaining from its last block, and chain from the IV.
                for (int i = 0; i < BlockSize; i++)
                {
                    body[i] ^= (byte)(token[IvOffset + i] ^ chain[i]);
                }

                encryptor.TransformBlock(token, CiphertextOffset, paddedLength, token, CiphertextOffset);
            }
            catch
            {
                // The token buffer is not cleared when it is returned: never leave plaintext in it.
                CryptographicOperations.ZeroMemory(body);
                throw;
            }

            Buffer.BlockCopy(token, macOffset - BlockSize, chain, 0, BlockSize);
            hmac.AppendData(token, 0, macOffset);
            hmac.GetHashAndReset(token.AsSpan(macOffset, MacLength));
        }

        /// <summary>
        /// CBC encrypts the first block as E(P0 xor IV). The cached encryptor chains from the last block it produced,
        /// so that block is cancelled out here: E((P0 xor IV xor last) xor last). <paramref name="count"/> is 16, or
        /// less when the plaintext is shorter than a block (then the block is completed with padding).
        /// </summary>
        private void EncryptFirstBlock(byte[] token, byte[] plaintext, int offset, int count)
        {
            Buffer.BlockCopy(plaintext, offset, block, 0, count);
            block.AsSpan(count).Fill((byte)(BlockSize - count));
            for (int i = 0; i < BlockSize; i++)
            {
                block[i] ^= (byte)(token[IvOffset + i] ^ chain[i]);
            }

            encryptor.TransformBlock(block, 0, BlockSize, token, CiphertextOffset);
        }

        private void MacAndEncode(byte[] token, int from, int to, Span<char> text)
        {
            hmac.AppendData(token, from, to - from);
            Base64Url.EncodeInto(token.AsSpan(from, to - from), text.Slice(from / 3 * 4));
        }

        /// <summary>Decrypts <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>: the IV, then the ciphertext.</summary>
        /// <exception cref="CryptographicException">The padding is wrong.</exception>
        public byte[] DecryptCbc(byte[] data, int offset, int count)
        {
            byte[] blocks = DecryptBlocks(data, offset, count, out int length);
            try
            {
                return new ReadOnlySpan<byte>(blocks, BlockSize, length).ToArray();
            }
            finally
            {
                Release(blocks, count);
            }
        }

        /// <summary>
        /// <see cref="DecryptCbc(byte[], int, int)"/> into <paramref name="destination"/>, at least
        /// <paramref name="count"/> - 16 bytes long.
        /// </summary>
        /// <returns>The length of the plaintext.</returns>
        public int DecryptCbc(byte[] data, int offset, int count, Span<byte> destination)
        {
            byte[] blocks = DecryptBlocks(data, offset, count, out int length);
            try
            {
                new ReadOnlySpan<byte>(blocks, BlockSize, length).CopyTo(destination);
                return length;
            }
            finally
            {
                Release(blocks, count);
            }
        }

        /// <summary>A pooled buffer whose bytes from 16 on are the plaintext, <paramref name="length"/> long; give it to <see cref="Release"/>.</summary>
        private byte[] DecryptBlocks(byte[] data, int offset, int count, out int length)
        {
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

                length = UnpaddedLength(new ReadOnlySpan<byte>(blocks, BlockSize, count - BlockSize));
                return blocks;
            }
            catch
            {
                Release(blocks, count);
                throw;
            }
        }

        private static void Release(byte[] blocks, int count)
        {
            CryptographicOperations.ZeroMemory(new Span<byte>(blocks, 0, count));
            ArrayPool<byte>.Shared.Return(blocks);
        }

        /// <summary>HMAC-SHA256 of <paramref name="data"/> under the signing key, into 32 bytes of <paramref name="destination"/>.</summary>
        public void Mac(ReadOnlySpan<byte> data, Span<byte> destination)
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
        }

        /// <summary>PKCS#7. Only reached after the MAC has verified, so its timing reveals nothing to an attacker.</summary>
        private static int UnpaddedLength(ReadOnlySpan<byte> padded)
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

            return padded.Length - padding;
        }

        public void Dispose()
        {
            encryptor.Dispose();
            decryptor.Dispose();
            hmac.Dispose();
            aes.Dispose();
        }

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
