using System.Collections;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>Tab completion for -Name: the names of the stored credentials (of the -Exchange given, if any).</summary>
    public sealed class CredentialNameCompleter : StoredDataCompleter
    {
        protected override IEnumerable<string> Read(CtDatabase database, IDictionary fakeBoundParameters)
        {
            var exchanges = BoundExchanges(fakeBoundParameters);
            return new ApiKeyService(database).List(int.MaxValue)
                .Where(k => exchanges is null || exchanges.Contains(k.Exchange))
                .Select(k => k.Name)
                .OrderBy(n => n, System.StringComparer.Ordinal);
        }
    }
}
