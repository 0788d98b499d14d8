using System.Collections;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.PowerShell.KeyStores;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>Tab completion for Set-CtConfig -Vault: the registered SecretManagement vaults.</summary>
    public sealed class VaultCompleter : NameCompleter
    {
        protected override IEnumerable<string> Names(IDictionary fakeBoundParameters) =>
            SecretManagementKeyStore.RegisteredVaults().Select(v => v.Name);
    }
}
