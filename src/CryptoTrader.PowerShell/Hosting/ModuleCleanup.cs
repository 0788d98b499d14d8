using System.Management.Automation;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>Removing the module forgets every unlocked key ring and passphrase key, zeroing them, and closes the pooled database connections.</summary>
    public sealed class ModuleCleanup : IModuleAssemblyCleanup
    {
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            CryptoTrader.Core.KeyStores.KeyRingCache.ForgetAll();
            CryptoTrader.Core.Storage.CtDatabase.ReleasePooledConnections();
        }
    }
}
