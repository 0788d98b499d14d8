using System;
using System.Linq;
using System.Text;
using CsCheck;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>
    /// Generators of damaged copies of valid input: a few edits (bit flip, truncation, extension, insertion, deletion,
    /// replacement, duplication) of its text or its bytes. Edits pick their characters from the edge cases parsers
    /// trip over: base64 padding and both alphabets, whitespace, NUL and other control characters, non-ASCII and lone surrogates.
    /// </summary>
    internal static class Mutations
    {
        /// <summary>Characters a base64, JSON or PEM parser treats specially.</summary>
        public const string EdgeChars = "=+/-_ \t\r\n\0\\\"{}[]:,.0-9AZaz\u0080\u00e9\u00ff\u0100\u200b\ufeff\uffff\ud800\udc00";

        private enum Kind
        {
            FlipBit,
            Truncate,
            Extend,
            Insert,
            Delete,
            Replace,
            Duplicate,
        }

        private readonly struct Edit
        {
            public Edit(Kind kind, int position, int bit, char character, int length)
            {
                What = kind;
                Position = position;
                Bit = bit;
                Character = character;
                Length = length;
            }

            public Kind What { get; }

            public int Position { get; }

            public int Bit { get; }

            public char Character { get; }

            public int Length { get; }

            public override string ToString() => $"{What}@{Position} bit {Bit} char U+{(int)Character:X4} length {Length}";
        }

        private static readonly Gen<char> EdgeOrAny = Gen.Frequency(
            (3, Gen.Char[EdgeChars]),
            (2, Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"]),
            (1, Gen.Char));

        private static readonly Gen<Edit> AnEdit = Gen.Select(
            Gen.Enum<Kind>(), Gen.Int[0, 100_000], Gen.Int[0, 7], EdgeOrAny, Gen.Int[1, 64],
            (kind, position, bit, character, length) => new Edit(kind, position, bit, character, length));

        /// <summary>1 to 4 edits of <paramref name="valid"/>'s text.</summary>
        public static Gen<string> OfText(string valid) =>
            AnEdit.Array[1, 4].Select(edits => edits.Aggregate(valid, Apply));

        /// <summary>1 to 4 edits of <paramref name="valid"/>'s bytes (characters stand for bytes).</summary>
        public static Gen<byte[]> OfBytes(byte[] valid) =>
            AnEdit.Array[1, 4].Select(edits =>
            {
                var text = edits.Aggregate(Encoding.Latin1.GetString(valid), (current, edit) => Apply(current, edit, byteRange: true));
                return Encoding.Latin1.GetBytes(text);
            });

        private static string Apply(string text, Edit edit) => Apply(text, edit, byteRange: false);

        private static string Apply(string text, Edit edit, bool byteRange)
        {
            var at = text.Length == 0 ? 0 : edit.Position % (text.Length + 1);
            var inside = Math.Min(at, Math.Max(text.Length - 1, 0));
            var character = byteRange ? (char)(edit.Character & 0xFF) : edit.Character;
            switch (edit.What)
            {
                case Kind.FlipBit when text.Length > 0:
                    return text.Substring(0, inside) + (char)(text[inside] ^ (1 << edit.Bit)) + text.Substring(inside + 1);
                case Kind.Truncate:
                    return text.Substring(0, at);
                case Kind.Extend:
                    return text + new string(character, edit.Length);
                case Kind.Insert:
                    return text.Insert(at, character.ToString());
                case Kind.Delete when text.Length > 0:
                    return text.Remove(inside, Math.Min(edit.Length % 4 + 1, text.Length - inside));
                case Kind.Replace when text.Length > 0:
                    return text.Substring(0, inside) + character + text.Substring(inside + 1);
                case Kind.Duplicate when text.Length > 0:
                    return text.Insert(at, text.Substring(inside, Math.Min(edit.Length, text.Length - inside)));
                default:
                    return text + character;
            }
        }
    }
}
