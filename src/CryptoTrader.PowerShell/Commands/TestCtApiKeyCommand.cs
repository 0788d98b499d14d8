using System.Linq;
using System.Management.Automation;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Proves that stored credentials still decrypt and pass their integrity check (a failure is also an ERROR audit record).</summary>
    [Cmdlet(VerbsDiagnostic.Test, "CtApiKey")]
    [OutputType(typeof(ApiKeyCheck))]
    public sealed class TestCtApiKeyCommand : CtCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ExchangeCompleter))]
        public string[]? Exchange { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        internal override void Process(CtSession session)
        {
            var exchanges = Exchange?.Select(ExchangeCatalog.Normalize).ToArray();
            var names = Name?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToArray();
            var ring = RequireKeyRing(session);
            foreach (var check in new ApiKeyService(session.Database).Check(OpenAuditLog(session, ring), ring,
                key => (exchanges == null || exchanges.Contains(key.Exchange)) && (names == null || names.Any(p => p.IsMatch(key.Name)))))
            {
                if (!check.IsValid)
                {
                    WriteWarning(check.Reason);
                }
                WriteObject(check);
            }
        }
    }
}
