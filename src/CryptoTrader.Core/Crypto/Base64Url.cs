using System;
using System.Buffers;

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

        public static string Encode(byte[] bytes)
        {
#if NET
            return string.Create(EncodedLength(bytes.Length), bytes, static (text, source) => EncodePadded(source, text));
#else
            char[] text = new char[EncodedLength(bytes.Length)];
            EncodePadded(bytes, text);
            return new string(text);
#endif
        }

        /// <summary>The padded text length for <paramref name="count"/> bytes.</summary>
        public static int EncodedLength(int count) => ((count + 2) / 3) * 4;

        /// <summary>
        /// Writes <paramref name="source"/> at the start of <paramref name="text"/>: the library writes the URL-safe alphabet
        /// without padding, Python's padding follows. Whole groups of 3 bytes need none, so a text can be written in steps.
        /// </summary>
        /// <returns>The number of characters written, <see cref="EncodedLength"/> of the source.</returns>
        public static int EncodePadded(ReadOnlySpan<byte> source, Span<char> text)
        {
            int length = EncodedLength(source.Length);
            System.Buffers.Text.Base64Url.EncodeToChars(source, text, out _, out int written);
            text.Slice(written, length - written).Fill('=');
            return length;
        }

        /// <returns>The decoded bytes, or null when <paramref name="text"/> is not strict base64url.</returns>
        public static byte[]? TryDecode(string text)
        {
            // Exactly the decoded size: a long token is not copied again to trim it.
            byte[] bytes = new byte[UnpaddedLength(text.AsSpan()) * 3 / 4];
            return TryDecode(text.AsSpan(), bytes, out int written) && written == bytes.Length ? bytes : null;
        }

        /// <returns>False when <paramref name="text"/> is not strict base64url or does not fit <paramref name="destination"/>.</returns>
        private static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
        {
            written = 0;
            ReadOnlySpan<char> unpadded = text.Slice(0, UnpaddedLength(text));
            // The library's decoder skips whitespace and takes a lone '=' or a missing one in a group: our strictness is
            // checked first, so it sees only alphabet characters. It refuses non-canonical trailing bits itself.
            if (unpadded.Length % 4 == 1 || !IsAlphabetOnly(unpadded))
            {
                return false;
            }

            return System.Buffers.Text.Base64Url.DecodeFromChars(unpadded, destination, out int consumed, out written) == OperationStatus.Done
                && consumed == unpadded.Length;
        }

        /// <summary>The length without the optional '=' padding: one or two of them, only on a text of whole groups.</summary>
        private static int UnpaddedLength(ReadOnlySpan<char> text)
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

            return length;
        }

#if NET
        private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

        private static bool IsAlphabetOnly(ReadOnlySpan<char> text) => text.IndexOfAnyExcept(AlphabetValues) < 0;
#else
        private static bool IsAlphabetOnly(ReadOnlySpan<char> text)
        {
            foreach (char character in text)
            {
                if (Alphabet.IndexOf(character) < 0)
                {
                    return false;
                }
            }

            return true;
        }
#endif
    }
}
