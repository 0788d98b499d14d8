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
            WriteLower(bytes.Slice(0, byteCount), chars);
            return new string(chars);
        }

        /// <summary>Lowercase hex of <paramref name="bytes"/> into the first 2 × length characters of <paramref name="chars"/>.</summary>
        public static void WriteLower(ReadOnlySpan<byte> bytes, Span<char> chars)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Digits[bytes[i] >> 4];
                chars[(2 * i) + 1] = Digits[bytes[i] & 0x0F];
            }
        }
    }
}
