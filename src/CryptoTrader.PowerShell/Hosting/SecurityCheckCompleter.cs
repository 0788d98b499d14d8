using System.Collections;
using System.Collections.Generic;
using CryptoTrader.Core.Security;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>Tab completion for Test-CtSecurity -Check: the names of the security checks.</summary>
    public sealed class SecurityCheckCompleter : NameCompleter
    {
        protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) => SecurityChecks.Names;
    }
}
