using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    /// <summary>
    /// Drives Python's <c>cryptography.fernet</c> (Debian: python3-cryptography) as a second, independent
    /// Fernet implementation. One process handles a whole batch; key and data travel via stdin and
    /// private temp files, never the command line.
    /// </summary>
    public static class PythonFernet
    {
        public const string InstallHint = "install python3-cryptography (apt-get install python3-cryptography)";

        private const string Script =
            "import json, sys\n" +
            "from cryptography.fernet import Fernet\n" +
            "manifest = json.load(sys.stdin)\n" +
            "fernet = Fernet(manifest['key'].encode('ascii'))\n" +
            "for item in manifest['items']:\n" +
            "    with open(item['in'], 'rb') as source:\n" +
            "        data = source.read()\n" +
            "    result = fernet.encrypt(data) if manifest['mode'] == 'encrypt' else fernet.decrypt(data)\n" +
            "    with open(item['out'], 'wb') as target:\n" +
            "        target.write(result)\n";

        private static readonly Lazy<string> Python = new Lazy<string>(LocatePython);

        /// <summary>Python-encrypted tokens (ASCII bytes) of each plaintext.</summary>
        public static IReadOnlyList<byte[]> EncryptAll(string base64UrlKey, IReadOnlyList<byte[]> plaintexts)
        {
            return RunBatch("encrypt", base64UrlKey, plaintexts);
        }

        /// <summary>Python's decryption of each token (ASCII bytes).</summary>
        public static IReadOnlyList<byte[]> DecryptAll(string base64UrlKey, IReadOnlyList<byte[]> tokens)
        {
            return RunBatch("decrypt", base64UrlKey, tokens);
        }

        private static IReadOnlyList<byte[]> RunBatch(string mode, string key, IReadOnlyList<byte[]> inputs)
        {
            string python = Python.Value;
            string directory = Path.Combine(Path.GetTempPath(), "ct-pyfernet-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                if (!Platform.IsWindows)
                {
                    Platform.SetMode(directory, Platform.Octal("0700"));
                }

                List<object> items = new List<object>();
                for (int i = 0; i < inputs.Count; i++)
                {
                    string input = Path.Combine(directory, "in" + i);
                    File.WriteAllBytes(input, inputs[i]);
                    items.Add(new Dictionary<string, string> { ["in"] = input, ["out"] = Path.Combine(directory, "out" + i) });
                }

                string manifest = JsonSerializer.Serialize(new Dictionary<string, object> { ["mode"] = mode, ["key"] = key, ["items"] = items });
                (int exitCode, string errors) = Run(python, new[] { "-c", Script }, manifest, TimeSpan.FromMinutes(2));
                Assert.True(exitCode == 0, "python Fernet " + mode + " failed (exit " + exitCode + "): " + errors);

                List<byte[]> outputs = new List<byte[]>();
                for (int i = 0; i < inputs.Count; i++)
                {
                    outputs.Add(File.ReadAllBytes(Path.Combine(directory, "out" + i)));
                }

                return outputs;
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        private static string LocatePython()
        {
            foreach (string candidate in new[] { "/usr/bin/python3", "python3" })
            {
                try
                {
                    (int exitCode, _) = Run(candidate, new[] { "-c", "import cryptography.fernet" }, string.Empty, TimeSpan.FromSeconds(30));
                    if (exitCode == 0)
                    {
                        return candidate;
                    }
                }
                catch (Win32Exception)
                {
                    // Not installed under that name; try the next.
                }
            }

            Assert.Fail("No python3 with the 'cryptography' package was found: " + InstallHint);
            throw new InvalidOperationException("unreachable");
        }

        private static (int ExitCode, string Errors) Run(string fileName, string[] arguments, string standardInput, TimeSpan timeout)
        {
            ProcessStartInfo start = new ProcessStartInfo(fileName, Platform.CommandLine(arguments))
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using Process process = Process.Start(start)!;
            System.Threading.Tasks.Task<string> errors = process.StandardError.ReadToEndAsync();
            System.Threading.Tasks.Task<string> output = process.StandardOutput.ReadToEndAsync();
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                process.Kill();
                Assert.Fail(fileName + " did not finish within " + timeout);
            }

            process.WaitForExit();
            return (process.ExitCode, errors.Result + output.Result);
        }
    }
}
