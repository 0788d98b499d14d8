using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;

namespace CryptoTrader.Core.Storage
{
    /// <summary>Unix permission bits through the platform API (never by running chmod).</summary>
#if NET
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
#endif
    internal static class UnixMode
    {
        public const int OwnerDirectory = 0x1C0; // 0700
        public const int OwnerFile = 0x180;      // 0600
        public const int GroupOrOtherAccess = 0x3F; // 0077

#if NET
        public static void Set(string path, int mode) => File.SetUnixFileMode(path, (UnixFileMode)mode);

        public static int Get(string path) => (int)File.GetUnixFileMode(path);
#else
        // .NET Framework runs only on Windows, where these are never called; libc keeps it honest anyway.
        public static void Set(string path, int mode)
        {
            if (chmod(path, mode) != 0)
            {
                throw new Win32Exception(Marshal.GetLastWin32Error(), "chmod failed for " + path);
            }
        }

        public static int Get(string path) => throw new PlatformNotSupportedException("Unix file modes are not available on .NET Framework.");

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(string path, int mode);
#endif
    }
}
