using System;
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
        private const int PermissionBits = 0xFFF;

        // libc's chmod(2) on both targets: .NET's File.SetUnixFileMode exists only on .NET 7+, and Mono runs the
        // net472 build on Unix. "libc" is mapped to the C library by .NET and by Mono alike.
        public static void Set(string path, int mode)
        {
            if (chmod(path, mode) != 0)
            {
                throw Failure(Marshal.GetLastWin32Error(), "change the permissions of", path);
            }
        }

        public static int Get(string path) => StatMode(path) & PermissionBits;

#if NET
        private static int StatMode(string path) => (int)File.GetUnixFileMode(path);
#else
        // .NET Framework has no API for file modes; off Windows it runs only under Mono, where stat(2) is read
        // directly. struct stat puts st_mode at byte 24 on x86-64 and at byte 16 on arm64 (the generic layout);
        // the 'stat' symbol needs glibc 2.33 or later (Debian 12, where the net472 tests run under Mono).
        private static int StatMode(string path)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                throw new PlatformNotSupportedException("The .NET Framework build reads Unix file modes on Linux (Mono) only.");
            }
            int offset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24
                : RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 16
                : throw new PlatformNotSupportedException("The .NET Framework build reads Unix file modes on x64 and arm64 only.");
            var buffer = new byte[256]; // larger than struct stat on every Linux architecture
            if (stat(path, buffer) != 0)
            {
                throw Failure(Marshal.GetLastWin32Error(), "read the permissions of", path);
            }
            return BitConverter.ToInt32(buffer, offset);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int stat(string path, byte[] buffer);
#endif

        // The exceptions File.SetUnixFileMode throws for the same errors, which the callers already handle.
        private static Exception Failure(int errno, string action, string path)
        {
            const int EPERM = 1, ENOENT = 2, EACCES = 13, ENOTDIR = 20;
            string message = $"Could not {action} '{path}': {Marshal.PtrToStringAnsi(strerror(errno))}.";
            switch (errno)
            {
                case EPERM:
                case EACCES:
                    return new UnauthorizedAccessException(message);
                case ENOENT:
                    return new FileNotFoundException(message, path);
                case ENOTDIR:
                    return new DirectoryNotFoundException(message);
                default:
                    return new IOException(message);
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(string path, int mode);

        // The C library's text for errno; Win32Exception's would be wrong under Mono, which reads it as a Windows error code.
        [DllImport("libc")]
        private static extern IntPtr strerror(int errno);
    }
}
