using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace CryptoTrader.Loader
{
    /// <summary>
    /// The module's own load context (PowerShell 7 only): CryptoTrader.Core and its dependencies
    /// (Microsoft.Data.Sqlite, SQLitePCLRaw, BouncyCastle) load from bin/net8.0, isolated from any other copy in
    /// the session, and the native e_sqlite3 resolves from runtimes/RID/native there.
    /// </summary>
    internal sealed class EngineLoadContext : AssemblyLoadContext
    {
        private const string SqliteNativeName = "e_sqlite3";
        private readonly string folder;

        private EngineLoadContext(string folder)
        {
            this.folder = folder;
        }

        /// <summary>Answers the default context's requests for the engine assembly, and only those, from a new context over <paramref name="folder"/>.</summary>
        public static void Register(string folder, string engineAssemblyName)
        {
            var context = new EngineLoadContext(folder);
            Default.Resolving += (requester, name) => name.Name == engineAssemblyName ? context.LoadFromAssemblyName(name) : null;
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(folder, assemblyName.Name + ".dll");
            // Anything not shipped in the engine folder (the framework, System.Management.Automation) comes from the default context.
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
