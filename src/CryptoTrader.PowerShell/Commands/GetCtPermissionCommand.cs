using System.Management.Automation;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Permissions;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Shows each credential's permission level, grant, limits and whether the grant passes its integrity check.</summary>
    [Cmdlet(VerbsCommon.Get, "CtPermission")]
    [OutputType(typeof(PermissionInfo))]
    public sealed class GetCtPermissionCommand : CredentialFilterCmdlet
    {
        internal override void Process(CtSession session)
        {
            PrepareFilter();
            var ring = RequireKeyRing(session);
            var permissions = new PermissionService(session.Database);
            foreach (var key in new ApiKeyService(session.Database).List(session.Current.MaxApiKeyAgeDays))
            {
                if (Matches(key.Exchange, key.Name))
                {
                    var info = permissions.Describe(ring, key.Exchange, key.Name, session.KeyRings());
                    if (!info.IntegrityValid)
                    {
                        WriteWarning($"{key.Exchange}/{key.Name}: {info.Status}");
                    }
                    WriteObject(info);
                }
            }
        }
    }
}
