using System.Text.RegularExpressions;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>The name that tells several credentials of one exchange apart (one per portfolio, bot or strategy).</summary>
    public static class CredentialName
    {
        public const string Default = "default";
        private static readonly Regex Valid = new Regex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant);

        /// <summary>The name in canonical (lower-case) form, or an InvalidCredentialName error.</summary>
        public static string Normalize(string? name)
        {
            // Control characters are refused, not trimmed away: a name is what the user typed or nothing.
            var trimmed = (name ?? Default).Trim();
            if (Validation.UserText.FirstInvisible(name) != null || !Valid.IsMatch(trimmed))
            {
                throw new CtException(ErrorIds.InvalidCredentialName, CtErrorKind.InvalidArgument,
                    "A credential name has 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.", "Name");
            }
            return trimmed.ToLowerInvariant();
        }
    }
}
