using System.Globalization;

namespace CryptoTrader.Core.Validation
{
    /// <summary>
    /// Text a user supplies that ends up in audit records and on screens: it must hold no control character (C0, C1,
    /// DEL: an ESC could drive a terminal that prints the log) and none of the invisible ones that can disguise text
    /// (bidirectional overrides and isolates, zero-width characters, line and paragraph separators).
    /// </summary>
    public static class UserText
    {
        /// <summary>The first control or invisible character, as "U+001B", or null when there is none.</summary>
        public static string? FirstInvisible(string? value)
        {
            if (value is null)
            {
                return null;
            }
            foreach (var c in value)
            {
                if (IsInvisible(c))
                {
                    return "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
                }
            }
            return null;
        }

        /// <summary>
        /// The text with every control or invisible character written as \uXXXX, for screens: a record written before
        /// the rules (or by another tool) must not drive the terminal that prints it.
        /// </summary>
        public static string Visible(string text)
        {
            if (FirstInvisible(text) is null)
            {
                return text;
            }
            var visible = new System.Text.StringBuilder(text.Length + 16);
            foreach (var c in text)
            {
                if (IsInvisible(c))
                {
                    visible.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
                else
                {
                    visible.Append(c);
                }
            }
            return visible.ToString();
        }

        public static bool IsInvisible(char c)
        {
            var category = char.GetUnicodeCategory(c);
            return char.IsControl(c)
                || category == UnicodeCategory.Format
                || category == UnicodeCategory.LineSeparator
                || category == UnicodeCategory.ParagraphSeparator;
        }
    }
}
