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
            var invisible = Validation.UserText.FirstInvisible(value);
            if (invisible != null)
            {
                throw Invalid(settingName, $"{settingName} must not contain control, format or line-separator characters (found {invisible}).");
            }
            return value.Trim();
        }

        private static CtException Invalid(string settingName, string message) =>
            new CtException(ErrorIds.InvalidSetting, CtErrorKind.InvalidArgument, message, settingName);
    }
}
