using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>
    /// Tab completion from what the data folder holds. Completing never creates the folder or the database, never needs
    /// the key ring and never fails: without data, or on any error, it offers nothing.
    /// </summary>
    public abstract class StoredDataCompleter : NameCompleter
    {
        protected abstract IEnumerable<string> Read(CtDatabase database, IDictionary fakeBoundParameters);

        protected sealed override IEnumerable<string> Names(IDictionary fakeBoundParameters)
        {
            try
            {
                var home = DataHome.Resolve();
                if (!File.Exists(home.DatabasePath))
                {
                    return Array.Empty<string>();
                }
                using var database = CtDatabase.Open(home);
                return Read(database, fakeBoundParameters).ToList();
            }
            catch (Exception)
            {
                // Completion is a convenience: a locked, damaged or foreign data folder shows up when a command runs.
                return Array.Empty<string>();
            }
        }

        /// <summary>The canonical exchanges that -Exchange names so far (wildcards allowed); null when it is not given.</summary>
        protected static IReadOnlyList<string>? BoundExchanges(IDictionary fakeBoundParameters)
        {
            var given = BoundValues(fakeBoundParameters, "Exchange");
            if (given.Count == 0)
            {
                return null;
            }
            return ExchangeCatalog.Names
                .Where(n => given.Any(g => System.Management.Automation.WildcardPattern.Get(g.Trim(), System.Management.Automation.WildcardOptions.IgnoreCase).IsMatch(n)))
                .ToList();
        }
    }
}
