using System;
using System.IO;
using System.Runtime.InteropServices;

namespace CryptoTrader.Core.Storage
{
    /// <summary>Unix permission bits through the platform API (never by running chmod).</summary>
    /// <remarks>
    /// libc on both targets: .NET's File.SetUnixFileMode and UnixCreateMode exist only on .NET 7+, and Mono runs the
    /// net472 build on Unix. "libc" is mapped to the C library by .NET and by Mono alike.
    /// </remarks>
#if NET
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
#endif
    internal static class UnixMode
    {
        public const int OwnerDirectory = 0x1C0; // 0700
        public const int OwnerFile = 0x180;      // 0600
        public const int GroupOrOtherAccess = 0x3F; // 0077

        private const int EEXIST = 17;

        /// <summary>chmod(2): follows a link (used for the data folder, which may be reached through one).</summary>
        public static void Set(string path, int mode)
        {
            if (chmod(path, mode) != 0)
            {
                throw Failure(Marshal.GetLastWin32Error(), "change the permissions of", path);
            }
        }

        /// <summary>
        /// Sets the mode of what is at <paramref name="path"/> without following a link there; false when it is a link
        /// (nothing changed: Linux cannot change a link's own mode).
        /// </summary>
        public static bool SetWithoutFollowing(string path, int mode)
        {
            var linux = !IsMacOS;
            if (fchmodat(linux ? -100 : -2, path, mode, linux ? 0x100 : 0x20) == 0) // AT_FDCWD, AT_SYMLINK_NOFOLLOW
            {
                return true;
            }
            var errno = Marshal.GetLastWin32Error();
            const int EOPNOTSUPP = 95; // Linux: the path is a link (or, before glibc 2.32, the flag is not supported at all)
            if (!linux || errno != EOPNOTSUPP)
            {
                throw Failure(errno, "change the permissions of", path);
            }
            if (UnixFileStatus.OfPath(path, followLinks: false)?.Kind == UnixFileKind.SymbolicLink)
            {
                return false;
            }
            Set(path, mode);
            return true;
        }

        /// <summary>The permission bits of what <paramref name="path"/> leads to (links followed).</summary>
        public static int Get(string path) =>
            (UnixFileStatus.OfPath(path, followLinks: true) ?? throw Failure(2, "read the permissions of", path)).Mode;

        /// <summary>
        /// Creates an empty file with <paramref name="mode"/> from its first instant (less what the umask removes); false
        /// when the path is taken. O_CREAT|O_EXCL never follows a link: a link at the path, even a dangling one, is "taken".
        /// </summary>
        public static bool CreateFile(string path, int mode)
        {
            if (IsMacOS)
            {
                return CreateFileOnMacOS(path, mode);
            }
            const int O_WRONLY = 0x1, O_CREAT = 0x40, O_EXCL = 0x80, O_CLOEXEC = 0x80000;
            var descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
            if (descriptor < 0)
            {
                var errno = Marshal.GetLastWin32Error();
                return errno == EEXIST ? false : throw Failure(errno, "create", path);
            }
            close(descriptor);
            return true;
        }

        /// <summary>Creates a folder with <paramref name="mode"/> from its first instant (less the umask); false when the path is taken.</summary>
        public static bool CreateDirectory(string path, int mode)
        {
            if (mkdir(path, mode) == 0)
            {
                return true;
            }
            var errno = Marshal.GetLastWin32Error();
            return errno == EEXIST ? false : throw Failure(errno, "create", path);
        }

        // The exceptions File.SetUnixFileMode throws for the same errors, which the callers already handle.
        internal static Exception Failure(int errno, string action, string path)
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

        private static bool IsMacOS => RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        // open(2) takes its mode as a variadic argument, which Apple's arm64 ABI passes on the stack where P/Invoke
        // cannot put it: on macOS (PowerShell 7 only) .NET's own UnixCreateMode does the same O_CREAT|O_EXCL open.
        private static bool CreateFileOnMacOS(string path, int mode)
        {
#if NET
            try
            {
                using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = (UnixFileMode)mode }))
                {
                }
                return true;
            }
            catch (IOException) when (UnixFileStatus.OfPath(path, followLinks: false) != null)
            {
                return false;
            }
#else
            throw new PlatformNotSupportedException("The .NET Framework build creates files on Linux (Mono) only.");
#endif
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(string path, int mode);

        [DllImport("libc", SetLastError = true)]
        private static extern int fchmodat(int directory, string path, int mode, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int open(string path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int descriptor);

        [DllImport("libc", SetLastError = true)]
        private static extern int mkdir(string path, int mode);

        // The C library's text for errno; Win32Exception's would be wrong under Mono, which reads it as a Windows error code.
        [DllImport("libc")]
        private static extern IntPtr strerror(int errno);
    }
}
