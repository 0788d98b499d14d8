using System.Linq;
using System.Management.Automation;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.Permissions;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Shows each credential's permission level, grant, limits and whether the grant passes its integrity check.</summary>
    [Cmdlet(VerbsCommon.Get, "CtPermission")]
    [OutputType(typeof(PermissionInfo))]
    public sealed class GetCtPermissionCommand : CtCmdlet
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
            var permissions = new PermissionService(session.Database);
            foreach (var key in new ApiKeyService(session.Database).List(session.Current.MaxApiKeyAgeDays))
            {
                if ((exchanges == null || exchanges.Contains(key.Exchange)) && (names == null || names.Any(p => p.IsMatch(key.Name))))
                {
                    var info = permissions.Describe(ring, key.Exchange, key.Name);
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
