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

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = CredentialName.Default;

        internal string CanonicalExchange => ExchangeCatalog.Normalize(Exchange);

        internal string CanonicalName => CredentialName.Normalize(Name);
    }
}
