using System.Management.Automation;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Permissions;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Lists stored credentials (never their secrets) and warns about keys older than the configured maximum age.</summary>
    [Cmdlet(VerbsCommon.Get, "CtApiKey")]
    [OutputType(typeof(ApiKeyInfo))]
    public sealed class GetCtApiKeyCommand : CredentialFilterCmdlet
    {
        internal override void Process(CtSession session)
        {
            PrepareFilter();
            var maxAge = session.Current.MaxApiKeyAgeDays;
            var keys = new ApiKeyService(session.Database).List(maxAge);
            var permissions = keys.Count == 0 ? null : PermissionsIfAvailable(session);
            foreach (var key in keys)
            {
                key.Permission = permissions?.Invoke(key.Exchange, key.Name) ?? "Unknown (key store locked or unavailable)";
                if (Matches(key.Exchange, key.Name))
                {
                    if (key.AgeDays > maxAge)
                    {
                        WriteWarning($"The API key for {key.Exchange}/{key.Name} is {key.AgeDays} days old (maximum {maxAge}): create a new key at the exchange, store it with Set-CtApiKey and delete the old one there.");
                    }
                    WriteObject(key);
                }
            }
        }

        // The level comes from the grant's integrity check, which needs the key ring; listing keys does not,
        // so a locked or missing store (or one that would prompt) only makes the level unknown.
        private static System.Func<string, string, string>? PermissionsIfAvailable(CtSession session)
        {
            try
            {
                var keyRings = session.KeyRings();
                keyRings.GetOrCreate();
                var service = new PermissionService(session.Database);
                // The ring is asked for each credential: after another session's rotation the reloaded one is cached.
                return (exchange, name) => service.Describe(keyRings.GetOrCreate(), exchange, name, keyRings).Level;
            }
            catch (CtException)
            {
                return null;
            }
        }
    }
}
