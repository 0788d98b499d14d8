using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CryptoTrader.Core.Tests.Support
{
    /// <summary>
    /// Hex text and one-shot digests the tests compare against, on both test targets: net472 has neither
    /// Convert.ToHexString/FromHexString nor the static SHA256.HashData/HMACSHA256.HashData.
    /// </summary>
    public static class TestBytes
    {
        public static string Hex(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes)
            {
                text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }
            return text.ToString();
        }

        public static byte[] FromHex(string hex)
        {
            if (hex.Length % 2 != 0)
            {
                throw new FormatException("Hex text needs an even number of digits.");
            }
            var bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = byte.Parse(hex.Substring(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            }
            return bytes;
        }

        public static byte[] Sha256(byte[] data)
        {
            using var sha = SHA256.Create();
            return sha.ComputeHash(data);
        }

        public static byte[] HmacSha256(byte[] key, byte[] data)
        {
            using var hmac = new HMACSHA256(key);
            return hmac.ComputeHash(data);
        }
    }
}
