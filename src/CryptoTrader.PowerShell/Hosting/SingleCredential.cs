using System.Management.Automation;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>
    /// -Exchange and -Name of a command that acts on one credential: canonical names, wildcards refused alike for both
    /// (the listing commands take wildcards for both).
    /// </summary>
    internal static class SingleCredential
    {
        private const string ListingCommands = "Get-CtApiKey, Get-CtPermission, Test-CtApiKey and Get-CtOrder";

        public static string Exchange(string? exchange)
        {
            if (exchange != null && WildcardPattern.ContainsWildcardCharacters(exchange))
            {
                throw new CtException(ErrorIds.UnknownExchange, CtErrorKind.InvalidArgument,
                    $"-Exchange names one exchange here ({string.Join(", ", ExchangeCatalog.Names)}); wildcards select credentials in {ListingCommands}.", exchange);
            }
            return ExchangeCatalog.Normalize(exchange);
        }

        public static string Name(string? name)
        {
            if (name != null && WildcardPattern.ContainsWildcardCharacters(name))
            {
                throw new CtException(ErrorIds.InvalidCredentialName, CtErrorKind.InvalidArgument,
                    $"-Name names one credential here; wildcards select credentials in {ListingCommands}.", name);
            }
            return CredentialName.Normalize(string.IsNullOrWhiteSpace(name) ? null : name);
        }
    }
}
