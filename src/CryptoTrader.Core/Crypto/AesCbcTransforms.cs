using System;
using System.Security.Cryptography;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// AES-CBC with PKCS#7 through <see cref="ICryptoTransform"/>, for .NET Framework which lacks the one-shot
    /// span APIs. Compiled on every target so tests on .NET can compare it with <c>Aes.EncryptCbc</c>.
    /// </summary>
    internal static class AesCbcTransforms
    {
        public const int BlockSize = 16;

        public static int CiphertextLength(int plaintextLength)
        {
            return ((plaintextLength / BlockSize) + 1) * BlockSize;
        }

        /// <summary>Encrypts into <paramref name="destination"/> at <paramref name="destinationOffset"/>, without intermediate copies of the bulk.</summary>
        public static void EncryptInto(ReadOnlySpan<byte> key, byte[] iv, byte[] plaintext, byte[] destination, int destinationOffset)
        {
            using (Aes aes = CreateAes(key, iv))
            using (ICryptoTransform encryptor = aes.CreateEncryptor())
            {
                int wholeBlocks = plaintext.Length - (plaintext.Length % BlockSize);
                int written = 0;
                if (wholeBlocks > 0)
                {
                    written = encryptor.TransformBlock(plaintext, 0, wholeBlocks, destination, destinationOffset);
                }

                byte[] last = encryptor.TransformFinalBlock(plaintext, wholeBlocks, plaintext.Length - wholeBlocks);
                Buffer.BlockCopy(last, 0, destination, destinationOffset + written, last.Length);
            }
        }

        /// <exception cref="CryptographicException">The padding is wrong.</exception>
        public static byte[] Decrypt(ReadOnlySpan<byte> key, byte[] iv, byte[] source, int offset, int count)
        {
            using (Aes aes = CreateAes(key, iv))
            using (ICryptoTransform decryptor = aes.CreateDecryptor())
            {
                return decryptor.TransformFinalBlock(source, offset, count);
            }
        }

        private static Aes CreateAes(ReadOnlySpan<byte> key, byte[] iv)
        {
            Aes aes = Aes.Create();
            aes.Mode = CipherMode.CBC;
            aes.Padding = PaddingMode.PKCS7;
            byte[] keyCopy = key.ToArray();
            aes.Key = keyCopy;
            Array.Clear(keyCopy, 0, keyCopy.Length);
            aes.IV = iv;
            return aes;
        }
    }
}
