using System.Collections;
using System.Collections.Generic;
using CryptoTrader.Core.Exchanges.Paper;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>Tab completion for -Symbol: the symbols this data folder knows (paper prices and orders).</summary>
    public sealed class SymbolCompleter : StoredDataCompleter
    {
        protected override IEnumerable<string> Read(CtDatabase database, IDictionary fakeBoundParameters) => new PaperMarket(database).Symbols();
    }
}
