using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Xunit;

namespace CryptoTrader.Core.Tests.Support
{
    /// <summary>Runs only on Windows; elsewhere the test is reported as skipped with the reason.</summary>
    public sealed class WindowsFactAttribute : FactAttribute
    {
        public WindowsFactAttribute(string why = "exercises the ACL branch (the Unix mode branch is tested separately).")
        {
            if (!Platform.IsWindows)
            {
                Skip = "Windows only: " + why;
            }
        }
    }

    /// <summary>Runs only on Unix-like systems (file modes); skipped on Windows.</summary>
    public sealed class UnixFactAttribute : FactAttribute
    {
        public UnixFactAttribute()
        {
            if (Platform.IsWindows)
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
            if (Platform.IsWindows)
            {
                Skip = "Unix only: checks POSIX file modes (the ACL branch is tested separately on Windows).";
            }
        }
    }

    /// <summary>
    /// Runs only as root on Unix, which may give a file to another user (chown): what another user's file does to the
    /// module is tested that way. Skipped elsewhere with the reason.
    /// </summary>
    public sealed class RootFactAttribute : FactAttribute
    {
        public RootFactAttribute()
        {
            if (Platform.IsWindows || !Platform.IsRoot)
            {
                Skip = "Unix, as root only: gives a file to another user (uid " + Platform.Nobody + ") with chown.";
            }
        }
    }

    /// <summary>A test whose subject Mono cannot host; under Mono it is skipped with the reason.</summary>
    public sealed class NotUnderMonoFactAttribute : FactAttribute
    {
        public NotUnderMonoFactAttribute(string why)
        {
            if (Platform.IsMono)
            {
                Skip = "Mono cannot host it: " + why;
            }
        }
    }

    /// <summary>The operating system, and file modes read and set the way a person would: with stat(1) and chmod(1).</summary>
    public static class Platform
    {
        // The same test sources build for net10.0 and net472 (run under Mono), which has no Platform.IsWindows;
        // the guard attribute lets the net10.0 platform analyzer accept Windows-only calls behind this check.
#if NET
        [System.Runtime.Versioning.SupportedOSPlatformGuard("windows")]
#endif
        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static bool IsLinux => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        public static bool IsMacOS => RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        /// <summary>True under Mono, which runs the net472 build of the tests off Windows.</summary>
        public static bool IsMono => Type.GetType("Mono.Runtime") != null;

        /// <summary>Permission bits of a file or folder (Unix only), read by stat(1), not by the code under test.</summary>
        public static int ModeOf(string path)
        {
            string format = IsMacOS ? "-f%Lp" : "-c%a";
            return Octal(Run("stat", format, path).Trim());
        }

        /// <summary>Sets permission bits with chmod(1), not with the code under test.</summary>
        public static void SetMode(string path, int octalBits) => Run("chmod", Convert.ToString(octalBits, 8), path);

        /// <summary>The uid of nobody, the "other user" of the ownership tests.</summary>
        public const int Nobody = 65534;

        /// <summary>True when the tests run as root (uid 0), read by id(1).</summary>
        public static bool IsRoot => !IsWindows && Run("id", "-u").Trim() == "0";

        /// <summary>The uid the tests run as, read by id(1).</summary>
        public static int CurrentUid => int.Parse(Run("id", "-u").Trim(), CultureInfo.InvariantCulture);

        /// <summary>The owner's uid of a file, folder or link itself (not its target), read by stat(1).</summary>
        public static int OwnerOf(string path) =>
            int.Parse(Run("stat", IsMacOS ? "-f%u" : "-c%u", path).Trim(), CultureInfo.InvariantCulture);

        /// <summary>Gives a file, folder or link itself (not its target) to another user, with chown(1).</summary>
        public static void SetOwner(string path, int uid) => Run("chown", "-h", uid.ToString(CultureInfo.InvariantCulture), path);

        /// <summary>A symbolic link at <paramref name="link"/> to <paramref name="target"/>, made with ln(1).</summary>
        public static void Symlink(string target, string link) => Run("ln", "-s", target, link);

        /// <summary>Octal literal helper: Octal("0644") == 420.</summary>
        public static int Octal(string digits) => Convert.ToInt32(digits, 8);

        private static string Run(string tool, params string[] arguments)
        {
            if (IsWindows)
            {
                throw new PlatformNotSupportedException("Unix file modes do not exist on Windows.");
            }
            var start = new ProcessStartInfo(tool, CommandLine(arguments))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(" ", arguments)} failed: {errors}");
            return output;
        }

        /// <summary>
        /// One argument string for ProcessStartInfo (net472 has no ArgumentList). .NET parses it by the Windows rules,
        /// Mono by the shell's; both read a double-quoted argument with \" for a quote alike, so an argument whose
        /// backslashes the two would read differently is refused rather than passed on changed.
        /// </summary>
        public static string CommandLine(params string[] arguments)
        {
            foreach (string argument in arguments)
            {
                if (argument.Contains("\\\\") || argument.Contains("\\\"") || argument.EndsWith("\\", StringComparison.Ordinal))
                {
                    throw new ArgumentException("This argument cannot be quoted the same way for .NET and Mono: " + argument);
                }
            }
            return string.Join(" ", Array.ConvertAll(arguments, a => "\"" + a.Replace("\"", "\\\"") + "\""));
        }
    }
}
