using System.Linq;
using System.Management.Automation;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Base of the cmdlets that list credentials, filtered by -Exchange and -Name (both take wildcards).</summary>
    public abstract class CredentialFilterCmdlet : CtCmdlet
    {
        private WildcardPattern[]? exchanges;
        private WildcardPattern[]? names;

        /// <summary>Exchanges; wildcards allowed. A name without wildcards must be a known exchange.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ExchangeCompleter))]
        [SupportsWildcards]
        [EmptyAsNotGiven]
        public string[]? Exchange { get; set; }

        /// <summary>Credential names; wildcards allowed.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CredentialNameCompleter))]
        [SupportsWildcards]
        [EmptyAsNotGiven]
        public string[]? Name { get; set; }

        /// <summary>Checks the filters (an unknown exchange or a bad pattern is an error) before anything is listed.</summary>
        internal void PrepareFilter()
        {
            exchanges = Exchange?.Select(e => WildcardPattern.ContainsWildcardCharacters(e)
                ? Pattern(e, "Exchange", ErrorIds.UnknownExchange)
                : WildcardPattern.Get(WildcardPattern.Escape(ExchangeCatalog.Normalize(e)), WildcardOptions.IgnoreCase)).ToArray();
            names = Name?.Select(n => Pattern(n, "Name", ErrorIds.InvalidCredentialName)).ToArray();
        }

        // WildcardPattern parses lazily: a bad pattern ('[' unclosed) would only throw when it first matches, mid-listing.
        private static WildcardPattern Pattern(string text, string parameter, string errorId)
        {
            var pattern = WildcardPattern.Get(text, WildcardOptions.IgnoreCase);
            try
            {
                pattern.IsMatch(string.Empty);
            }
            catch (WildcardPatternException e)
            {
                throw new CtException(errorId, CtErrorKind.InvalidArgument,
                    $"A -{parameter} filter is not a valid wildcard pattern (an unclosed '[', for example); escape literal brackets with a backtick.", parameter, e);
            }
            return pattern;
        }

        internal bool Matches(string exchange, string name) =>
            (exchanges == null || exchanges.Any(p => p.IsMatch(exchange))) && (names == null || names.Any(p => p.IsMatch(name)));
    }
}
