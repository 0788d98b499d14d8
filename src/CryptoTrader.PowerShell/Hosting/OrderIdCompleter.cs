using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.Exchanges.Paper;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>
    /// Tab completion for -OrderId: the open orders kept in this data folder (the paper exchange's), of the -Name given.
    /// A remote exchange's orders would need a signed request at every Tab, so they are not offered.
    /// </summary>
    public sealed class OrderIdCompleter : StoredDataCompleter
    {
        protected override IEnumerable<string> Read(CtDatabase database, IDictionary fakeBoundParameters)
        {
            var exchanges = BoundExchanges(fakeBoundParameters);
            if (exchanges != null && !exchanges.Contains(ExchangeCatalog.Paper))
            {
                return Array.Empty<string>();
            }
            var names = BoundValues(fakeBoundParameters, "Name");
            var account = names.Count == 1 && !System.Management.Automation.WildcardPattern.ContainsWildcardCharacters(names[0]) ? names[0].Trim().ToLowerInvariant() : null;
            return new PaperMarket(database).OpenOrders(account).Select(o => o.OrderId);
        }
    }
}
