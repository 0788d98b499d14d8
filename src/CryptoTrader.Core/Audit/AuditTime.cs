using System;
using System.Globalization;

namespace CryptoTrader.Core.Audit
{
    /// <summary>Audit timestamps: UTC, whole seconds, "yyyy-MM-ddTHH:mm:ssZ".</summary>
    public static class AuditTime
    {
        public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss'Z'";

        public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

        public static DateTime Parse(string value) =>
            DateTime.ParseExact(value, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }
}
