using System;
using System.Security.Cryptography;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>AES-CBC with PKCS#7 padding through the platform's one-shot calls.</summary>
    internal static class AesCbc
    {
        public const int BlockSize = 16;

        public static int CiphertextLength(int plaintextLength) => ((plaintextLength / BlockSize) + 1) * BlockSize;

        /// <summary>Encrypts into <paramref name="destination"/> at <paramref name="offset"/>, <see cref="CiphertextLength"/> bytes.</summary>
        public static void Encrypt(ReadOnlySpan<byte> key, byte[] iv, byte[] plaintext, byte[] destination, int offset)
        {
            using (Aes aes = Create(key))
            {
#if NET
                aes.EncryptCbc(plaintext, iv, destination.AsSpan(offset), PaddingMode.PKCS7);
#else
                // .NET Framework has no EncryptCbc; a transform's final block is its one-shot form.
                aes.IV = iv;
                using (ICryptoTransform encryptor = aes.CreateEncryptor())
                {
                    byte[] ciphertext = encryptor.TransformFinalBlock(plaintext, 0, plaintext.Length);
                    Buffer.BlockCopy(ciphertext, 0, destination, offset, ciphertext.Length);
                }
#endif
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
