using System;
using System.Security.Cryptography;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>AES-CBC with PKCS#7 padding from the platform: an encryptor for writing in steps, and one-shot decryption.</summary>
    internal static class AesCbc
    {
        public const int BlockSize = 16;

        public static int CiphertextLength(int plaintextLength) => ((plaintextLength / BlockSize) + 1) * BlockSize;

        /// <summary>
        /// An encryptor for writing a ciphertext in steps: whole blocks through <see cref="ICryptoTransform.TransformBlock"/>
        /// (the chaining carries over between calls), the rest and the padding through <see cref="ICryptoTransform.TransformFinalBlock"/>.
        /// </summary>
        public static ICryptoTransform CreateEncryptor(byte[] key, byte[] iv)
        {
            using (Aes aes = Aes.Create())
            {
                aes.Mode = CipherMode.CBC;
                aes.Padding = PaddingMode.PKCS7;
                return aes.CreateEncryptor(key, iv);
            }
        }

        /// <exception cref="CryptographicException">The padding is wrong.</exception>
        public static byte[] Decrypt(ReadOnlySpan<byte> key, byte[] iv, byte[] source, int offset, int count)
        {
            using (Aes aes = Create(key))
            {
#if NET
                return aes.DecryptCbc(new ReadOnlySpan<byte>(source, offset, count), iv, PaddingMode.PKCS7);
#else
                aes.IV = iv;
                using (ICryptoTransform decryptor = aes.CreateDecryptor())
                {
                    return decryptor.TransformFinalBlock(source, offset, count);
                }
#endif
            }
        }

        private static Aes Create(ReadOnlySpan<byte> key)
        {
            Aes aes = Aes.Create();
            aes.Mode = CipherMode.CBC;
            aes.Padding = PaddingMode.PKCS7;
            byte[] keyCopy = key.ToArray();
            aes.Key = keyCopy;
            Array.Clear(keyCopy, 0, keyCopy.Length);
            return aes;
        }
    }
}
