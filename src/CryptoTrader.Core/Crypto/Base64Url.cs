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

        public static string Encode(byte[] bytes) =>
            Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');

        /// <returns>The decoded bytes, or null when <paramref name="text"/> is not strict base64url.</returns>
        public static byte[]? TryDecode(string text)
        {
            byte[] bytes = new byte[MaxDecodedLength(text.Length)];
            if (!TryDecode(text.AsSpan(), bytes, out int written))
            {
                return null;
            }

            return written == bytes.Length ? bytes : bytes.AsSpan(0, written).ToArray();
        }

        /// <summary>An upper bound on the decoded length of <paramref name="charCount"/> characters.</summary>
        public static int MaxDecodedLength(int charCount) => ((charCount / 4) * 3) + 2;

        /// <summary>Decodes into <paramref name="destination"/>, at least <see cref="MaxDecodedLength"/> bytes long.</summary>
        /// <returns>False when <paramref name="text"/> is not strict base64url.</returns>
        public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
        {
            written = 0;
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
                return false;
            }

            int fullGroups = length / 4;
            int c = 0;
            int b = 0;
            for (int group = 0; group < fullGroups; group++, c += 4, b += 3)
            {
                int s0 = Lookup(text[c]);
                int s1 = Lookup(text[c + 1]);
                int s2 = Lookup(text[c + 2]);
                int s3 = Lookup(text[c + 3]);

                // Lookup gives -1 for a character outside the alphabet, and one negative value makes the OR negative.
                if ((s0 | s1 | s2 | s3) < 0)
                {
                    return false;
                }

                int triple = (s0 << 18) | (s1 << 12) | (s2 << 6) | s3;
                destination[b] = (byte)(triple >> 16);
                destination[b + 1] = (byte)(triple >> 8);
                destination[b + 2] = (byte)triple;
            }

            if (remainder > 0)
            {
                int value = 0;
                for (int k = 0; k < remainder; k++)
                {
                    int sextet = Lookup(text[c++]);
                    if (sextet < 0)
                    {
                        return false;
                    }

                    value = (value << 6) | sextet;
                }

                if (remainder == 2)
                {
                    if ((value & 0x0F) != 0)
                    {
                        return false;
                    }

                    destination[b++] = (byte)(value >> 4);
                }
                else
                {
                    if ((value & 0x03) != 0)
                    {
                        return false;
                    }

                    destination[b++] = (byte)(value >> 10);
                    destination[b++] = (byte)(value >> 2);
                }
            }

            written = b;
            return true;
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
