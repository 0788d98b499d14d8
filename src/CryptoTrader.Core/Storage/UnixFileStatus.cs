using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CryptoTrader.Core.Storage
{
    internal enum UnixFileKind
    {
        RegularFile,
        Directory,
        SymbolicLink,
        Other,
    }

    /// <summary>
    /// What stat(2) says about a path or an open file: its kind, permission bits, owner and identity (device and inode).
    /// Read through libc on both targets: .NET has no API for a file's owner, and .NET Framework none at all.
    /// </summary>
    /// <remarks>
    /// Linux uses statx(2) (glibc 2.28+), whose struct has one layout on every architecture, unlike struct stat.
    /// macOS uses the 64-bit-inode struct stat, the same on x64 (symbol suffix $INODE64) and arm64.
    /// </remarks>
#if NET
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
#endif
    internal sealed class UnixFileStatus
    {
        private const int KindMask = 0xF000;       // S_IFMT
        private const int RegularFileKind = 0x8000; // S_IFREG
        private const int DirectoryKind = 0x4000;   // S_IFDIR
        private const int LinkKind = 0xA000;        // S_IFLNK
        private const int PermissionBits = 0xFFF;
        private const int ENOENT = 2, ENOTDIR = 20;
        private const int BufferSize = 512; // struct statx is 256 bytes, macOS struct stat 144
        private const int AT_FDCWD_LINUX = -100;
        private const int AT_SYMLINK_NOFOLLOW_LINUX = 0x100;
        private const int AT_EMPTY_PATH_LINUX = 0x1000;
        private const uint StatxBasicStats = 0x7FF;

        private readonly ulong device;
        private readonly ulong inode;

        private UnixFileStatus(int mode, uint owner, ulong device, ulong inode)
        {
            Kind = (mode & KindMask) switch
            {
                RegularFileKind => UnixFileKind.RegularFile,
                DirectoryKind => UnixFileKind.Directory,
                LinkKind => UnixFileKind.SymbolicLink,
                _ => UnixFileKind.Other,
            };
            Mode = mode & PermissionBits;
            Owner = owner;
            this.device = device;
            this.inode = inode;
        }

        public UnixFileKind Kind { get; }

        /// <summary>The permission bits (07777).</summary>
        public int Mode { get; }

        /// <summary>The owner's uid.</summary>
        public uint Owner { get; }

        /// <summary>The uid this process acts as (the effective uid), which owns what it creates.</summary>
        public static uint CurrentUser => geteuid();

        public bool IsSameFileAs(UnixFileStatus other) => device == other.device && inode == other.inode;

        /// <summary>The status of what is at <paramref name="path"/> (of a link itself unless <paramref name="followLinks"/>); null when nothing is.</summary>
        public static UnixFileStatus? OfPath(string path, bool followLinks)
        {
            var buffer = new byte[BufferSize];
            var result = IsMacOS
                ? MacStat(path, followLinks, buffer)
                : statx(AT_FDCWD_LINUX, path, followLinks ? 0 : AT_SYMLINK_NOFOLLOW_LINUX, StatxBasicStats, buffer);
            if (result != 0)
            {
                var errno = Marshal.GetLastWin32Error();
                if (errno == ENOENT || errno == ENOTDIR)
                {
                    return null;
                }
                throw UnixMode.Failure(errno, "read the status of", path);
            }
            return Parse(buffer);
        }

        /// <summary>The status of the file an open handle refers to (fstat), whatever its path names now.</summary>
        public static UnixFileStatus OfOpenFile(SafeFileHandle handle, string path)
        {
            var buffer = new byte[BufferSize];
            var descriptor = (int)handle.DangerousGetHandle();
            var result = IsMacOS
                ? MacFstat(descriptor, buffer)
                : statx(descriptor, string.Empty, AT_EMPTY_PATH_LINUX, StatxBasicStats, buffer);
            if (result != 0)
            {
                throw UnixMode.Failure(Marshal.GetLastWin32Error(), "read the status of", path);
            }
            return Parse(buffer);
        }

        /// <summary>Where a symbolic link points, for messages; empty when it cannot be read.</summary>
        public static string LinkTarget(string path)
        {
            var buffer = new byte[4096];
            var length = (long)readlink(path, buffer, (IntPtr)buffer.Length);
            return length <= 0 ? string.Empty : System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length);
        }

        private static bool IsMacOS => RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        private static UnixFileStatus Parse(byte[] buffer)
        {
            if (IsMacOS)
            {
                // dev_t st_dev (int32) at 0, mode_t st_mode (uint16) at 4, ino_t st_ino at 8, uid_t st_uid at 16.
                return new UnixFileStatus(BitConverter.ToUInt16(buffer, 4), BitConverter.ToUInt32(buffer, 16),
                    BitConverter.ToUInt32(buffer, 0), BitConverter.ToUInt64(buffer, 8));
            }
            // struct statx: stx_uid at 20, stx_mode (uint16) at 28, stx_ino at 32, stx_dev_major/minor at 136/140.
            var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
            return new UnixFileStatus(BitConverter.ToUInt16(buffer, 28), BitConverter.ToUInt32(buffer, 20), device, BitConverter.ToUInt64(buffer, 32));
        }

        private static int MacStat(string path, bool followLinks, byte[] buffer)
        {
            var x64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;
            return followLinks
                ? (x64 ? stat_x64(path, buffer) : stat_arm64(path, buffer))
                : (x64 ? lstat_x64(path, buffer) : lstat_arm64(path, buffer));
        }

        private static int MacFstat(int descriptor, byte[] buffer) =>
            RuntimeInformation.ProcessArchitecture == Architecture.X64 ? fstat_x64(descriptor, buffer) : fstat_arm64(descriptor, buffer);

        [DllImport("libc", SetLastError = true)]
        private static extern int statx(int directory, string path, int flags, uint mask, byte[] buffer);

        [DllImport("libc")]
        private static extern uint geteuid();

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr readlink(string path, byte[] buffer, IntPtr size);

        [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
        private static extern int stat_x64(string path, byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true)]
        private static extern int lstat_x64(string path, byte[] buffer);

        [DllImport("libc", EntryPoint = "fstat$INODE64", SetLastError = true)]
        private static extern int fstat_x64(int descriptor, byte[] buffer);

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        private static extern int stat_arm64(string path, byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
        private static extern int lstat_arm64(string path, byte[] buffer);

        [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
        private static extern int fstat_arm64(int descriptor, byte[] buffer);
    }
}
