using System;
using System.Security.Cryptography;

namespace CryptoTrader.Core.Crypto
{
    internal static class HmacSha256
    {
        public const int MacLength = 32;

        public static byte[] Compute(ReadOnlySpan<byte> key, byte[] data, int offset, int count)
        {
            byte[] keyCopy = key.ToArray();
            try
            {
                using (HMACSHA256 hmac = new HMACSHA256(keyCopy))
                {
                    return hmac.ComputeHash(data, offset, count);
                }
            }
            finally
            {
                Array.Clear(keyCopy, 0, keyCopy.Length);
            }
        }

        public static byte[] Compute(ReadOnlySpan<byte> key, byte[] data) => Compute(key, data, 0, data.Length);
    }
}
