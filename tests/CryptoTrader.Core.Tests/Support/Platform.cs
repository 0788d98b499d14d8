using System;
using System.IO;
using Xunit;

namespace CryptoTrader.Core.Tests.Support
{
    /// <summary>Runs only on Windows; elsewhere the test is reported as skipped with the reason.</summary>
    public sealed class WindowsFactAttribute : FactAttribute
    {
        public WindowsFactAttribute()
        {
            if (!OperatingSystem.IsWindows())
            {
                Skip = "Windows only: exercises the ACL branch (the Unix mode branch is tested separately).";
            }
        }
    }

    /// <summary>Runs only on Unix-like systems (file modes); skipped on Windows.</summary>
    public sealed class UnixFactAttribute : FactAttribute
    {
        public UnixFactAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Unix only: checks POSIX file modes (the ACL branch is tested separately on Windows).";
            }
        }
    }

    /// <summary>Theory counterpart of <see cref="UnixFactAttribute"/>.</summary>
    public sealed class UnixTheoryAttribute : TheoryAttribute
    {
        public UnixTheoryAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Unix only: checks POSIX file modes (the ACL branch is tested separately on Windows).";
            }
        }
    }

    public static class Platform
    {
        /// <summary>Permission bits of a file or folder (Unix only).</summary>
        public static UnixFileMode ModeOf(string path)
        {
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("Unix file modes do not exist on Windows.");
            }

            return File.GetUnixFileMode(path) & (UnixFileMode)0xFFF;
        }

        public static void SetMode(string path, int octalBits)
        {
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("Unix file modes do not exist on Windows.");
            }

            File.SetUnixFileMode(path, (UnixFileMode)octalBits);
        }

        /// <summary>Octal literal helper: Octal("0644") == 420.</summary>
        public static int Octal(string digits) => Convert.ToInt32(digits, 8);
    }
}
