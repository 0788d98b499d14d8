using System.Text;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>Rules for API key material. Messages describe the problem, never the value.</summary>
    public static class ApiKeyValidation
    {
        public const int MaxApiKeyLength = 512;
        public const int MaxSecretBytes = 16 * 1024;

        public static void RequireValidApiKey(string? apiKey)
        {
            if (apiKey is null || apiKey.Trim().Length == 0)
            {
                throw Invalid(ErrorIds.InvalidApiKey, "ApiKey", "The API key is empty. Pass the key id the exchange gave you with -ApiKey.");
            }
            if (apiKey.Length > MaxApiKeyLength)
            {
                throw Invalid(ErrorIds.InvalidApiKey, "ApiKey", $"The API key is longer than {MaxApiKeyLength} characters; check that the secret was not passed as the key.");
            }
            foreach (var c in apiKey)
            {
                if (char.IsControl(c))
                {
                    throw Invalid(ErrorIds.InvalidApiKey, "ApiKey", $"The API key contains a control character (U+{(int)c:X4}); copy it again without line breaks or NUL.");
                }
            }
            if (!IsValidUtf16(apiKey.ToCharArray()))
            {
                throw Invalid(ErrorIds.InvalidApiKey, "ApiKey", "The API key is not valid Unicode text (it has a lone surrogate character); copy it again.");
            }
        }

        public static void RequireValidSecret(char[] secret)
        {
            var blank = true;
            foreach (var c in secret)
            {
                if (c == '\0')
                {
                    throw Invalid(ErrorIds.InvalidApiSecret, "ApiSecret", "The API secret contains a NUL character; copy it again.");
                }
                blank &= char.IsWhiteSpace(c);
            }
            if (blank)
            {
                throw Invalid(ErrorIds.InvalidApiSecret, "ApiSecret", "The API secret is empty. Pass it with -ApiSecret (a SecureString) or -Credential.");
            }
            if (!IsValidUtf16(secret))
            {
                throw Invalid(ErrorIds.InvalidApiSecret, "ApiSecret", "The API secret is not valid Unicode text (it has a lone surrogate character); copy it again.");
            }
            if (Encoding.UTF8.GetByteCount(secret) > MaxSecretBytes)
            {
                throw Invalid(ErrorIds.InvalidApiSecret, "ApiSecret", $"The API secret is larger than {MaxSecretBytes / 1024} KiB; no exchange secret is that long.");
            }
        }

        // Stored as UTF-8, a lone surrogate would silently become U+FFFD: the key would no longer be the one given.
        private static bool IsValidUtf16(char[] text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(text[i]))
                {
                    return false;
                }
            }
            return true;
        }

        private static CtException Invalid(string errorId, string target, string message) =>
            new CtException(errorId, CtErrorKind.InvalidArgument, message, target);
    }
}
