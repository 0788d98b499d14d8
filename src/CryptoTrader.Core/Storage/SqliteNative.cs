using System;
using System.IO;
using System.Runtime.InteropServices;

namespace CryptoTrader.Core.Storage
{
    /// <summary>
    /// Points SQLitePCLRaw at the bundled e_sqlite3 once per load context.
    /// On PowerShell 7 the module's AssemblyLoadContext resolves the native file;
    /// on .NET Framework the DLL is loaded from runtimes/win-ARCH/native first so DllImport finds it by name.
    /// </summary>
    internal static class SqliteNative
    {
        private static readonly object Gate = new object();
        private static bool initialized;

        public static void EnsureInitialized()
        {
            lock (Gate)
            {
                if (initialized)
                {
                    return;
                }
#if NETFRAMEWORK
                PreloadWindowsNative();
#endif
                SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
                initialized = true;
            }
        }

#if NETFRAMEWORK
        private static void PreloadWindowsNative()
        {
            var arch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64"
                : Environment.Is64BitProcess ? "x64" : "x86";
            var folder = Path.GetDirectoryName(typeof(SqliteNative).Assembly.Location)!;
            var path = Path.Combine(folder, "runtimes", "win-" + arch, "native", "e_sqlite3.dll");
            if (File.Exists(path) && LoadLibraryW(path) == IntPtr.Zero)
            {
                throw new DllNotFoundException("Could not load " + path + " (error " + Marshal.GetLastWin32Error() + ").");
            }
        }

        [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryW(string path);
#endif
    }
}
