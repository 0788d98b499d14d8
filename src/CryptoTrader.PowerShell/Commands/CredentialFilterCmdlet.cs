using System.Linq;
using System.Management.Automation;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Base of the cmdlets that list credentials, filtered by -Exchange and -Name (wildcards).</summary>
    public abstract class CredentialFilterCmdlet : CtCmdlet
    {
        private string[]? exchanges;
        private WildcardPattern[]? names;

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ExchangeCompleter))]
        public string[]? Exchange { get; set; }

        /// <summary>Credential names; wildcards allowed.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        /// <summary>Checks the filters (an unknown exchange is an error) before anything is listed.</summary>
        internal void PrepareFilter()
        {
            exchanges = Exchange?.Select(ExchangeCatalog.Normalize).ToArray();
            names = Name?.Select(Pattern).ToArray();
        }

        // WildcardPattern parses lazily: a bad pattern ('[' unclosed) would only throw when it first matches, mid-listing.
        private static WildcardPattern Pattern(string name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            try
            {
                pattern.IsMatch(string.Empty);
            }
            catch (WildcardPatternException e)
            {
                throw new CtException(ErrorIds.InvalidCredentialName, CtErrorKind.InvalidArgument,
                    "A -Name filter is not a valid wildcard pattern (an unclosed '[', for example); escape literal brackets with a backtick.", "Name", e);
            }
            return pattern;
        }

        internal bool Matches(string exchange, string name) =>
            (exchanges == null || exchanges.Contains(exchange)) && (names == null || names.Any(p => p.IsMatch(name)));
    }
}
