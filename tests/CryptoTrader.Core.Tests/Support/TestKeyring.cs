using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace CryptoTrader.Core.Tests.Support
{
    /// <summary>
    /// A private D-Bus session bus with an unlocked gnome-keyring (tests/keyring/start-test-keyring.sh): a real
    /// Secret Service, no desktop, never the user's own keyring. Disposing stops the bus and with it the daemon.
    /// </summary>
    public sealed class TestKeyring : IDisposable
    {
        private readonly int busPid;

        public TestKeyring(bool withKeyring = true)
        {
            Folder = Path.Combine(Path.GetTempPath(), "ct-keyring-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            var script = Path.Combine(TestPaths.RepositoryRoot, "tests", "keyring", "start-test-keyring.sh");
            var output = Run("sh", script, Folder, withKeyring ? string.Empty : "--no-keyring").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Address = output[0].Trim();
            busPid = int.Parse(output[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }

        public string Folder { get; }

        public string Address { get; }

        /// <summary>Set by .ci/run: the Secret Service tests must run, never skip.</summary>
        public const string RequireVariable = "CT_REQUIRE_KEYRING";

        /// <summary>Why Secret Service tests cannot run here, or null when they can (always null with CT_REQUIRE_KEYRING=1: they then fail).</summary>
        public static string? Unavailable()
        {
            var why = Probe();
            return why != null && Platform.IsLinux && Environment.GetEnvironmentVariable(RequireVariable) == "1" ? null : why;
        }

        private static string? Probe()
        {
            if (!Platform.IsLinux)
            {
                return "Linux only: the Secret Service (the macOS and Windows backends have their own tests).";
            }
            foreach (var tool in new[] { "dbus-daemon", "gnome-keyring-daemon", "secret-tool" })
            {
                if (!File.Exists("/usr/bin/" + tool) && !File.Exists("/bin/" + tool))
                {
                    return $"{tool} is not installed (Debian packages dbus, gnome-keyring, libsecret-tools; .ci/run installs them).";
                }
            }
            return null;
        }

        /// <summary>Runs secret-tool on this bus; returns exit code and standard output.</summary>
        public (int ExitCode, string Output) SecretTool(params string[] arguments)
        {
            var start = new ProcessStartInfo("secret-tool") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["DBUS_SESSION_BUS_ADDRESS"] = Address;
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }

        public void Dispose()
        {
            try
            {
                Process.GetProcessById(busPid).Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static string Run(string file, params string[] arguments)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                if (argument.Length > 0)
                {
                    start.ArgumentList.Add(argument);
                }
            }
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(" ", arguments)} failed ({process.ExitCode}): {error}");
            }
            return output;
        }
    }

    /// <summary>Runs only where a real Secret Service can be started (Linux with dbus and gnome-keyring); else skipped with the reason.</summary>
    public sealed class SecretServiceFactAttribute : FactAttribute
    {
        public SecretServiceFactAttribute()
        {
            var why = TestKeyring.Unavailable();
            if (why != null)
            {
                Skip = why;
            }
        }
    }
}
