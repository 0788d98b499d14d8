using System;
using System.Security.Cryptography;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>Cryptographically strong random bytes from the operating system.</summary>
    internal static class SecureRandom
    {
        public static byte[] Bytes(int count)
        {
            if (count < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "Byte count must not be negative.");
            }

            byte[] bytes = new byte[count];
            using (RandomNumberGenerator generator = RandomNumberGenerator.Create())
            {
                generator.GetBytes(bytes);
            }

            return bytes;
        }
    }
}
