using System.Management.Automation;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Deletes a stored credential and its trading grant. Accepts Get-CtApiKey output.</summary>
    [Cmdlet(VerbsCommon.Remove, "CtApiKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AuditRecord))]
    public sealed class RemoveCtApiKeyCommand : CtCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ExchangeCompleter))]
        public string Exchange { get; set; } = string.Empty;

        /// <summary>The credential name; empty or omitted: "default".</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CredentialNameCompleter))]
        [EmptyAsNotGiven]
        public string? Name { get; set; } = CredentialName.Default;

        internal override void Process(CtSession session)
        {
            var exchange = SingleCredential.Exchange(Exchange);
            var name = SingleCredential.Name(Name);
            if (!ShouldProcess($"{exchange}/{name}", "Delete the stored API key and its trading grant"))
            {
                return;
            }
            var ring = RequireKeyRing(session);
            WriteAuditRecords(new ApiKeyService(session.Database).Remove(OpenAuditLog(session, ring), exchange, name));
        }
    }
}
