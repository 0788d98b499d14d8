using System;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// URL-safe base64 (RFC 4648 §5) as Python's <c>base64.urlsafe_b64encode</c> writes it: '=' padded.
    /// Decoding is strict: padding is optional, but whitespace, the standard '+' '/' alphabet and
    /// non-canonical trailing bits are rejected, so one byte string has exactly one accepted text form
    /// (apart from the optional padding).
    /// </summary>
    internal static class Base64Url
    {
        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        private static readonly sbyte[] DecodeTable = BuildDecodeTable();

        public static string Encode(byte[] bytes)
        {
            int length = ((bytes.Length + 2) / 3) * 4;
#if NET
            return string.Create(length, bytes, (chars, source) => EncodeInto(source, chars));
#else
            char[] chars = new char[length];
            EncodeInto(bytes, chars);
            return new string(chars);
#endif
        }

        private static void EncodeInto(ReadOnlySpan<byte> bytes, Span<char> chars)
        {
            int fullGroups = bytes.Length / 3;
            int remainder = bytes.Length % 3;
            int c = 0;
            int b = 0;
            for (int group = 0; group < fullGroups; group++, b += 3)
            {
                int triple = (bytes[b] << 16) | (bytes[b + 1] << 8) | bytes[b + 2];
                chars[c++] = Alphabet[(triple >> 18) & 0x3F];
                chars[c++] = Alphabet[(triple >> 12) & 0x3F];
                chars[c++] = Alphabet[(triple >> 6) & 0x3F];
                chars[c++] = Alphabet[triple & 0x3F];
            }

            if (remainder == 1)
            {
                int value = bytes[b] << 16;
                chars[c++] = Alphabet[(value >> 18) & 0x3F];
                chars[c++] = Alphabet[(value >> 12) & 0x3F];
                chars[c++] = '=';
                chars[c] = '=';
            }
            else if (remainder == 2)
            {
                int value = (bytes[b] << 16) | (bytes[b + 1] << 8);
                chars[c++] = Alphabet[(value >> 18) & 0x3F];
                chars[c++] = Alphabet[(value >> 12) & 0x3F];
                chars[c++] = Alphabet[(value >> 6) & 0x3F];
                chars[c] = '=';
            }
        }

        /// <returns>The decoded bytes, or null when <paramref name="text"/> is not strict base64url.</returns>
        public static byte[]? TryDecode(string text)
        {
            int length = text.Length;
            if (length % 4 == 0 && length > 0 && text[length - 1] == '=')
            {
                length--;
                if (text[length - 1] == '=')
                {
                    length--;
                }
            }

            int remainder = length % 4;
            if (remainder == 1)
            {
                return null;
            }

            byte[] bytes = new byte[((length / 4) * 3) + (remainder == 0 ? 0 : remainder - 1)];
            int fullGroups = length / 4;
            int c = 0;
            int b = 0;
            for (int group = 0; group < fullGroups; group++)
            {
                int triple = 0;
                for (int k = 0; k < 4; k++)
                {
                    int sextet = Lookup(text[c++]);
                    if (sextet < 0)
                    {
                        return null;
                    }

                    triple = (triple << 6) | sextet;
                }

                bytes[b++] = (byte)(triple >> 16);
                bytes[b++] = (byte)(triple >> 8);
                bytes[b++] = (byte)triple;
            }

            if (remainder > 0)
            {
                int value = 0;
                for (int k = 0; k < remainder; k++)
                {
                    int sextet = Lookup(text[c++]);
                    if (sextet < 0)
                    {
                        return null;
                    }

                    value = (value << 6) | sextet;
                }

                if (remainder == 2)
                {
                    if ((value & 0x0F) != 0)
                    {
                        return null;
                    }

                    bytes[b] = (byte)(value >> 4);
                }
                else
                {
                    if ((value & 0x03) != 0)
                    {
                        return null;
                    }

                    bytes[b++] = (byte)(value >> 10);
                    bytes[b] = (byte)(value >> 2);
                }
            }

            return bytes;
        }

        private static int Lookup(char character)
        {
            return character < 128 ? DecodeTable[character] : -1;
        }

        private static sbyte[] BuildDecodeTable()
        {
            sbyte[] table = new sbyte[128];
            for (int i = 0; i < table.Length; i++)
            {
                table[i] = -1;
            }

            for (int i = 0; i < Alphabet.Length; i++)
            {
                table[Alphabet[i]] = (sbyte)i;
            }

            return table;
        }
    }
}
