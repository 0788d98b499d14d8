using System.Collections.Generic;
using CryptoTrader.Core.Credentials;

namespace CryptoTrader.Core.Security
{
    /// <summary>Exchange keys are replaced before they are older than Set-CtConfig -MaxApiKeyAgeDays (default 90 days).</summary>
    public sealed class ApiKeyAgeCheck : ISecurityCheck
    {
        public const string CheckName = "ApiKeyAge";

        public string Name => CheckName;

        public IEnumerable<SecurityFinding> Run(SecurityContext context)
        {
            var maximum = context.Settings.MaxApiKeyAgeDays;
            var keys = new ApiKeyService(context.Database).List(maximum);
            var old = 0;
            foreach (var key in keys)
            {
                // Counted from the stored time, not ApiKeyInfo.AgeDays, so the report is computed for one instant.
                var age = (int)System.Math.Floor((context.UtcNow - key.Updated).TotalDays);
                if (age > maximum)
                {
                    old++;
                    yield return new SecurityFinding(SecuritySeverity.Medium, Name, key.Exchange + "/" + key.Name,
                        $"The API key is {age} days old (maximum {maximum}, Set-CtConfig -MaxApiKeyAgeDays).",
                        $"Create a new key at the exchange, store it with Set-CtApiKey -Exchange {key.Exchange} -Name {key.Name}, and delete the old key at the exchange.");
                }
            }
            if (old == 0)
            {
                yield return new SecurityFinding(SecuritySeverity.Info, Name, context.Home.Path,
                    keys.Count == 0 ? "No API keys are stored." : $"All {keys.Count} stored API keys are at most {maximum} days old.", string.Empty);
            }
        }
    }
}
