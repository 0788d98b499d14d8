using System.Management.Automation;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Base of the cmdlets that address one credential by -Exchange and -Name (both bind from the pipeline by property name).</summary>
    public abstract class CredentialCmdlet : CtCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ExchangeCompleter))]
        public string Exchange { get; set; } = string.Empty;

        /// <summary>The credential name; empty or omitted: "default".</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CredentialNameCompleter))]
        [EmptyAsNotGiven]
        public string? Name { get; set; } = CredentialName.Default;

        internal string CanonicalExchange => SingleCredential.Exchange(Exchange);

        internal string CanonicalName => SingleCredential.Name(Name);
    }
}
