using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Linq;
using System.Text.Json;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges.Coinbase;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Coinbase
{
    /// <summary>Ed25519 CDP keys (signed by BouncyCastle): RFC 8032 vectors, and signatures the openssl CLI verifies.</summary>
    public sealed class Ed25519Tests
    {
        /// <summary>RFC 8032 section 7.1 tests 1 and 2: the signature BouncyCastle makes from the seed is the RFC's, byte for byte.</summary>
        [Theory]
        [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
        [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
        public void Rfc8032Vectors(string seed, string publicKey, string message, string signature)
        {
            var pair = TestBytes.FromHex(seed + publicKey);
            using var key = CoinbaseKey.LoadSigner(Convert.ToBase64String(pair).ToCharArray());
            Assert.Equal("EdDSA", key.Algorithm);
            Assert.Equal(signature, TestBytes.Hex(key.Sign(TestBytes.FromHex(message))));
        }

        [Fact]
        public void Base64KeysOf32And64BytesAreAcceptedAndAMismatchedPairIsNot()
        {
            // RFC 8032 test 1: the public half is the RFC's, not computed here.
            var pair = TestBytes.FromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
            CoinbaseKey.Validate(Convert.ToBase64String(pair.Take(32).ToArray()).ToCharArray());
            CoinbaseKey.Validate(Convert.ToBase64String(pair).ToCharArray());
            pair[40] ^= 1;
            var error = Assert.Throws<CtException>(() => CoinbaseKey.Validate(Convert.ToBase64String(pair).ToCharArray()));
            Assert.Equal(ErrorIds.InvalidApiSecret, error.ErrorId);
            Assert.Throws<CtException>(() => CoinbaseKey.Validate(Convert.ToBase64String(new byte[48]).ToCharArray()));
        }

        [Fact]
        public void AnEdDsaJwtFromAnOpensslKeyVerifiesWithOpenssl()
        {
            var folder = Path.Combine(Path.GetTempPath(), "ct-ed25519-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var keyFile = Path.Combine(folder, "key.pem");
                var publicFile = Path.Combine(folder, "pub.pem");
                OpenSsl("genpkey", "-algorithm", "ed25519", "-out", keyFile);
                OpenSsl("pkey", "-in", keyFile, "-pubout", "-out", publicFile);
                using var credential = new ApiCredential("coinbase", "default", "organizations/o/apiKeys/k", File.ReadAllText(keyFile).ToCharArray());
                var jwt = CoinbaseJwt.Create(credential, "POST", "api.coinbase.com", "/api/v3/brokerage/orders", DateTimeOffset.UtcNow);
                var parts = jwt.Split('.');
                using (var header = JsonDocument.Parse(Decode(parts[0])))
                {
                    Assert.Equal("EdDSA", header.RootElement.GetProperty("alg").GetString());
                }
                File.WriteAllBytes(Path.Combine(folder, "input"), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
                File.WriteAllBytes(Path.Combine(folder, "sig"), Decode(parts[2]));
                var output = OpenSsl("pkeyutl", "-verify", "-pubin", "-inkey", publicFile, "-rawin", "-in", Path.Combine(folder, "input"), "-sigfile", Path.Combine(folder, "sig"));
                Assert.Contains("Signature Verified Successfully", output);
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        private static string OpenSsl(params string[] arguments)
        {
            var info = new ProcessStartInfo("openssl", Platform.CommandLine(arguments)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(30000), "openssl did not finish");
            Assert.True(process.ExitCode == 0, "openssl " + string.Join(" ", arguments) + ": " + output);
            return output;
        }

        private static byte[] Decode(string part)
        {
            var padded = part.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
        }
    }
}
