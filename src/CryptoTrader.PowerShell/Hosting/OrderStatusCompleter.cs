using System.Collections;
using System.Collections.Generic;
using CryptoTrader.Core.Trading;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>Tab completion for Get-CtOrder -Status: the statuses an order reports.</summary>
    public sealed class OrderStatusCompleter : NameCompleter
    {
        protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) => OrderStatus.All;
    }
}
