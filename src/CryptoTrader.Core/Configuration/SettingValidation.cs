using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Configuration
{
    /// <summary>Rules for values a user may set with Set-CtConfig.</summary>
    public static class SettingValidation
    {
        public const int MaxNameLength = 128;

        /// <summary>An audit user id or vault name: 1..128 printable characters, no control characters, not only spaces.</summary>
        public static string RequirePrintableName(string? value, string settingName)
        {
            if (value is null || value.Trim().Length == 0)
            {
                throw Invalid(settingName, $"{settingName} must not be empty.");
            }
            if (value.Length > MaxNameLength)
            {
                throw Invalid(settingName, $"{settingName} must have at most {MaxNameLength} characters.");
            }
            foreach (var c in value)
            {
                if (IsInvisible(c))
                {
                    throw Invalid(settingName, $"{settingName} must not contain control, format or line-separator characters (found U+{(int)c:X4}).");
                }
            }
            return value.Trim();
        }

        // Control characters, and the invisible ones that can disguise text in a log (bidi overrides, zero-width, line separators).
        private static bool IsInvisible(char c)
        {
            var category = char.GetUnicodeCategory(c);
            return char.IsControl(c)
                || category == System.Globalization.UnicodeCategory.Format
                || category == System.Globalization.UnicodeCategory.LineSeparator
                || category == System.Globalization.UnicodeCategory.ParagraphSeparator;
        }

        private static CtException Invalid(string settingName, string message) =>
            new CtException(ErrorIds.InvalidSetting, CtErrorKind.InvalidArgument, message, settingName);
    }
}
