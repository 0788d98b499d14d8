#if NET
using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>
    /// The module's own load context (PowerShell 7): CryptoTrader.Core and its dependencies
    /// (Microsoft.Data.Sqlite, SQLitePCLRaw) load from the dependencies folder, isolated from any other
    /// copy in the session, and the native e_sqlite3 resolves from runtimes/RID/native.
    /// </summary>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private const string SqliteNativeName = "e_sqlite3";
        private readonly string folder;

        private DependencyLoadContext(string folder)
            : base("CryptoTrader", isCollectible: false)
        {
            this.folder = folder;
        }

        public static DependencyLoadContext Instance { get; } = new DependencyLoadContext(
            Path.Combine(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!, "dependencies"));

        public string Folder => folder;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(folder, assemblyName.Name + ".dll");
            // Anything not shipped in the dependencies folder (the framework, System.Management.Automation) comes from the default context.
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            var fileName = Path.GetFileNameWithoutExtension(unmanagedDllName);
            if (fileName == SqliteNativeName || fileName == "lib" + SqliteNativeName)
            {
                var path = Path.Combine(folder, "runtimes", RuntimeIdentifier(), "native", NativeFileName(SqliteNativeName));
                if (File.Exists(path))
                {
                    return LoadUnmanagedDllFromPath(path);
                }
            }
            return IntPtr.Zero;
        }

        private static string RuntimeIdentifier()
        {
            var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
                : "linux";
            var arch = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.Arm64 => "arm64",
                Architecture.X64 => "x64",
                Architecture.X86 => "x86",
                Architecture.Arm => "arm",
                var other => other.ToString().ToLowerInvariant(),
            };
            return os + "-" + arch;
        }

        private static string NativeFileName(string name) =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? name + ".dll"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "lib" + name + ".dylib"
            : "lib" + name + ".so";
    }
}
#endif
