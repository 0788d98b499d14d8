using System.Collections;
using System.Collections.Generic;
using CryptoTrader.Core.Exchanges;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>Tab completion for -Exchange: the known exchange names.</summary>
    public sealed class ExchangeCompleter : NameCompleter
    {
        protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) => ExchangeCatalog.Names;
    }
}
