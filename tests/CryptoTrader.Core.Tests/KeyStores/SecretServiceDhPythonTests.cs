using System;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CryptoTrader.Core.KeyStores.Keyring;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    /// <summary>
    /// The DH session against a second, independent implementation: Python's cryptography (DH, HKDF, AES-CBC),
    /// as libsecret would do it. Python gets our public key, answers with its own and a secret encrypted under the
    /// derived key; we derive the same key from its public key and decrypt.
    /// </summary>
    public sealed class SecretServiceDhPythonTests
    {
        private const string Script =
            "import json, sys, os\n" +
            "from cryptography.hazmat.primitives.asymmetric import dh\n" +
            "from cryptography.hazmat.primitives.kdf.hkdf import HKDF\n" +
            "from cryptography.hazmat.primitives import hashes, padding\n" +
            "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n" +
            "m = json.load(sys.stdin)\n" +
            "group = dh.DHParameterNumbers(int(m['p'], 16), 2)\n" +
            "mine = group.parameters().generate_private_key()\n" +
            "shared = mine.exchange(dh.DHPublicNumbers(int(m['public'], 16), group).public_key())\n" +
            "key = HKDF(algorithm=hashes.SHA256(), length=16, salt=None, info=b'').derive(shared)\n" +
            "iv = os.urandom(16)\n" +
            "padder = padding.PKCS7(128).padder()\n" +
            "data = padder.update(m['message'].encode()) + padder.finalize()\n" +
            "encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()\n" +
            "print(json.dumps({'public': format(mine.public_key().public_numbers().y, 'x'), 'iv': iv.hex(), 'ct': (encryptor.update(data) + encryptor.finalize()).hex()}))\n";

        [Fact]
        public void PythonCryptography_AgreesOnTheKey_AndItsCiphertextDecrypts()
        {
            var ours = new SecretServiceDh();
            var request = JsonSerializer.Serialize(new
            {
                p = SecretServiceDh.Prime.ToString("x"),
                @public = Convert.ToHexString(ours.PublicKey),
                message = "the key ring, as the daemon would send it",
            });
            var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Script);
            using var process = Process.Start(start)!;
            process.StandardInput.Write(request);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "python3 with python3-cryptography failed: " + errors);

            using var answer = JsonDocument.Parse(output);
            var theirs = Convert.FromHexString(Pad(answer.RootElement.GetProperty("public").GetString()!));
            var key = ours.DeriveAesKey(theirs);
            var plain = SecretServiceDh.Decrypt(key, Convert.FromHexString(answer.RootElement.GetProperty("iv").GetString()!),
                Convert.FromHexString(answer.RootElement.GetProperty("ct").GetString()!));
            Assert.Equal("the key ring, as the daemon would send it", Encoding.UTF8.GetString(plain));
        }

        private static string Pad(string hex) => hex.Length % 2 == 0 ? hex : "0" + hex;
    }
}
