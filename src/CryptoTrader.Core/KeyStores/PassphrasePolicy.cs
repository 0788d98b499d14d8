using System;
using System.Globalization;
using System.Text;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// What a new key-file passphrase must be: at least 12 characters, not one character repeated, not only whitespace;
    /// and how passphrases are written for the KDF: Unicode NFC, so a composed and a decomposed "é" give the same key.
    /// Passphrases of files made before NFC was recorded are derived as typed (see <see cref="KeyFileFormat"/>).
    /// </summary>
    public static class PassphrasePolicy
    {
        public const int MinimumLength = 12;

        /// <summary>Throws WeakPassphrase (saying which rule, never the value) unless <paramref name="passphrase"/> may protect a new key file.</summary>
        public static void RequireStrong(char[] passphrase, string target)
        {
            var normalized = Normalize(passphrase);
            try
            {
                var characters = CountCodePoints(normalized);
                if (characters < MinimumLength)
                {
                    throw Weak(target, $"it has {characters} characters; a new passphrase needs at least {MinimumLength}");
                }
                if (Array.TrueForAll(normalized, char.IsWhiteSpace))
                {
                    throw Weak(target, "it is only whitespace");
                }
                if (IsOneRepeatedCharacter(normalized))
                {
                    throw Weak(target, "it is one character repeated");
                }
            }
            finally
            {
                Array.Clear(normalized, 0, normalized.Length);
            }
        }

        /// <summary>
        /// The passphrase in Unicode NFC, as a new array the caller clears. ASCII is already NFC and is copied without ever
        /// becoming a string; other text goes through string.Normalize (the one API), whose strings cannot be cleared.
        /// </summary>
        public static char[] Normalize(char[] passphrase)
        {
            if (Array.TrueForAll(passphrase, c => c < 0x80))
            {
                return (char[])passphrase.Clone();
            }
            return new string(passphrase).Normalize(NormalizationForm.FormC).ToCharArray();
        }

        private static int CountCodePoints(char[] text)
        {
            var count = 0;
            for (var i = 0; i < text.Length; i++)
            {
                if (!(char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
                {
                    count++;
                }
            }
            return count;
        }

        private static bool IsOneRepeatedCharacter(char[] text)
        {
            var width = text.Length > 1 && char.IsHighSurrogate(text[0]) && char.IsLowSurrogate(text[1]) ? 2 : 1;
            if (text.Length % width != 0)
            {
                return false;
            }
            for (var i = width; i < text.Length; i++)
            {
                if (text[i] != text[i % width])
                {
                    return false;
                }
            }
            return true;
        }

        private static CtException Weak(string target, string why) =>
            new CtException(ErrorIds.WeakPassphrase, CtErrorKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture,
                    "The new passphrase is too weak: {0}. Use at least {1} characters that are not all the same and not only spaces, for example several unrelated words.",
                    why, MinimumLength), target);
    }
}
