using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CryptoTrader.Loader
{
    /// <summary>
    /// Makes CryptoTrader.Core, which the cmdlet assembly references, resolvable for this edition of PowerShell:
    /// on PowerShell 7 from bin/net8.0 through the module's own load context (<see cref="EngineLoadContext"/>),
    /// on Windows PowerShell 5.1 from bin/net472. The manifest imports this assembly as a nested module, which
    /// PowerShell does before the root module; registered once per process, so Import-Module -Force does not
    /// stack handlers.
    /// </summary>
    public sealed class EngineLoader : IModuleAssemblyInitializer
    {
        private const string EngineAssemblyName = "CryptoTrader.Core";
        private static readonly Version OldestPowerShell7 = new Version(7, 4);
        private static readonly object Gate = new object();
        private static bool registered;

        public void OnImport()
        {
            lock (Gate)
            {
                if (registered)
                {
                    return;
                }
                var binFolder = Path.GetDirectoryName(typeof(EngineLoader).Assembly.Location)!;
                if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
                {
                    RegisterDesktop(Path.Combine(binFolder, "net472"));
                }
                else
                {
                    var powerShell = typeof(PSObject).Assembly.GetName().Version;
                    if (powerShell < OldestPowerShell7)
                    {
                        throw new PlatformNotSupportedException(
                            $"CryptoTrader needs PowerShell 7.4 or later (this is {powerShell}), or Windows PowerShell 5.1.");
                    }
                    RegisterCore(Path.Combine(binFolder, "net8.0"));
                }
                registered = true;
            }
        }

        // Separate, not inlined: Windows PowerShell must never compile a method that names AssemblyLoadContext.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RegisterCore(string engineFolder) => EngineLoadContext.Register(engineFolder, EngineAssemblyName);

        private static void RegisterDesktop(string engineFolder)
        {
            var enginePath = Path.Combine(engineFolder, EngineAssemblyName + ".dll");
            // LoadFrom: the engine's own dependencies then resolve from its folder.
            AppDomain.CurrentDomain.AssemblyResolve += (sender, request) =>
                new AssemblyName(request.Name).Name == EngineAssemblyName ? Assembly.LoadFrom(enginePath) : null;
        }
    }
}
