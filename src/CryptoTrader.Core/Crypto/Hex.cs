using System;

namespace CryptoTrader.Core.Crypto
{
    internal static class Hex
    {
        private const string Digits = "0123456789abcdef";

        /// <summary>Lowercase hex of the first <paramref name="byteCount"/> bytes.</summary>
        public static string ToLower(ReadOnlySpan<byte> bytes, int byteCount)
        {
            if (byteCount < 0 || byteCount > bytes.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(byteCount));
            }

            char[] chars = new char[byteCount * 2];
            for (int i = 0; i < byteCount; i++)
            {
                chars[2 * i] = Digits[bytes[i] >> 4];
                chars[(2 * i) + 1] = Digits[bytes[i] & 0x0F];
            }

            return new string(chars);
        }
    }
}
