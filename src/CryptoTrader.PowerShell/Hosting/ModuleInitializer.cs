using System.Management.Automation;
#if NET
using System.Reflection;
using System.Runtime.Loader;
#endif

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>
    /// On PowerShell 7, answers the default context's requests for CryptoTrader.Core, and only those,
    /// from the module's own load context. CryptoTrader.psm1 calls <see cref="Register"/> before
    /// Import-Module reflects over the cmdlets (which already needs the engine's types); OnImport covers a
    /// direct import of the DLL. Registered once per process, so Import-Module -Force does not stack handlers.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport() => Register();

        /// <summary>Removing the binary module (also when it is imported directly, without CryptoTrader.psm1) forgets every unlocked key ring.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo) => Release();

#if NET
        private const string EngineAssemblyName = "CryptoTrader.Core";
        private static readonly object Gate = new object();
        private static bool registered;
#endif

        public static void Register()
        {
#if NET
            lock (Gate)
            {
                if (registered)
                {
                    return;
                }
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
                registered = true;
            }
#endif
        }

        /// <summary>
        /// Called when the module is removed (CryptoTrader.psm1's OnRemove, and <see cref="OnRemove"/>): forgets every unlocked
        /// key ring and passphrase key, zeroing them, and closes the pooled database connections.
        /// </summary>
        public static void Release()
        {
            CryptoTrader.Core.KeyStores.KeyRingCache.ForgetAll();
            CryptoTrader.Core.Storage.CtDatabase.ReleasePooledConnections();
        }

#if NET
        private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
            name.Name == EngineAssemblyName ? DependencyLoadContext.Instance.LoadFromAssemblyName(name) : null;
#endif
    }
}
