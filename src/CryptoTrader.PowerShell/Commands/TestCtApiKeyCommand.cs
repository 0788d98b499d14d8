using System.Management.Automation;
using CryptoTrader.Core.Credentials;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Proves that stored credentials still decrypt and pass their integrity check (a failure is also an ERROR audit record).</summary>
    [Cmdlet(VerbsDiagnostic.Test, "CtApiKey")]
    [OutputType(typeof(ApiKeyCheck))]
    public sealed class TestCtApiKeyCommand : CredentialFilterCmdlet
    {
        internal override void Process(CtSession session)
        {
            PrepareFilter();
            var ring = RequireKeyRing(session);
            foreach (var check in new ApiKeyService(session.Database).Check(OpenAuditLog(session, ring), ring,
                key => Matches(key.Exchange, key.Name), Refresher(session)))
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
