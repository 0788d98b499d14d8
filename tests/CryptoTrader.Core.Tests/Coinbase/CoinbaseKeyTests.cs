using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges.Coinbase;
using Xunit;

namespace CryptoTrader.Core.Tests.Coinbase
{
    public sealed class CoinbaseKeyTests
    {
        private static string Body(string pem)
        {
            var lines = pem.Split('\n');
            return string.Join("", lines, 1, lines.Length - 3); // base64 lines of the body: lines[1..^2]
        }

        [EcdsaFact]
        public void Sec1PemLoadsAndSigns()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            CoinbaseKey.Validate(EcKeyPem.Sec1(key).ToCharArray());
            using var loaded = CoinbaseKey.LoadSigner(EcKeyPem.Sec1(key).ToCharArray());
            Assert.Equal("ES256", loaded.Algorithm);
            Assert.Equal(key.ExportParameters(false).Q.X, loaded.Ec!.ExportParameters(false).Q.X);
            var signature = loaded.Sign(new byte[] { 1, 2, 3 });
            Assert.True(key.VerifyData(new byte[] { 1, 2, 3 }, signature, HashAlgorithmName.SHA256));
        }

        [EcdsaFact]
        public void PemWithLiteralBackslashNIsAccepted()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var escaped = EcKeyPem.Sec1(key).Replace("\n", "\\n");
            Assert.DoesNotContain('\n', escaped);
            using var loaded = CoinbaseKey.LoadSigner(escaped.ToCharArray());
            Assert.Equal(key.ExportParameters(false).Q.Y, loaded.Ec!.ExportParameters(false).Q.Y);
        }

        [EcdsaFact]
        public void Pkcs8PemIsAccepted()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var loaded = CoinbaseKey.LoadSigner(EcKeyPem.Pkcs8(key).ToCharArray());
            Assert.True(key.VerifyData(new byte[] { 4, 5 }, loaded.Sign(new byte[] { 4, 5 }), HashAlgorithmName.SHA256));
        }

        [EcdsaFact]
        public void AKeyWhosePublicPartDoesNotMatchIsRefused()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var parameters = key.ExportParameters(true);
            var q = other.ExportParameters(false).Q;
            // The SEC1 structure with another key's public point, written without the platform checking it.
            var der = new Org.BouncyCastle.Asn1.Sec.ECPrivateKeyStructure(256, new Org.BouncyCastle.Math.BigInteger(1, parameters.D),
                new Org.BouncyCastle.Asn1.DerBitString(new byte[] { 4 }.Concat(q.X!).Concat(q.Y!).ToArray()),
                Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1).GetEncoded();
            var pem = "-----BEGIN EC PRIVATE KEY-----\n" + Convert.ToBase64String(der) + "\n-----END EC PRIVATE KEY-----\n";
            var error = Assert.Throws<CtException>(() => CoinbaseKey.Validate(pem.ToCharArray()));
            Assert.Equal(ErrorIds.InvalidApiSecret, error.ErrorId);
            Assert.Contains("public part does not match", error.Message);
        }

        [Theory]
        [InlineData("0")]
        [InlineData("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")] // the order n of P-256
        [InlineData("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632552")]
        public void AKeyWhosePrivateValueIsOutOfRangeIsRefused(string privateValueHex)
        {
            var der = new Org.BouncyCastle.Asn1.Sec.ECPrivateKeyStructure(256, new Org.BouncyCastle.Math.BigInteger(privateValueHex, 16),
                Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1).GetEncoded();
            var pem = "-----BEGIN EC PRIVATE KEY-----\n" + Convert.ToBase64String(der) + "\n-----END EC PRIVATE KEY-----\n";
            var error = Assert.Throws<CtException>(() => CoinbaseKey.Validate(pem.ToCharArray()));
            Assert.Equal(ErrorIds.InvalidApiSecret, error.ErrorId);
            Assert.Contains("out of range", error.Message);
        }

        [Theory]
        [InlineData("not a key at all")]
        [InlineData("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----")]
        [InlineData("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE!!notbase64\n-----END EC PRIVATE KEY-----")]
        [InlineData("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n")]
        [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")]
        public void MalformedPemIsAClearErrorWithoutTheValue(string secret)
        {
            var error = Assert.Throws<CtException>(() => CoinbaseKey.Validate(secret.ToCharArray()));
            Assert.Equal(ErrorIds.InvalidApiSecret, error.ErrorId);
            Assert.StartsWith("Coinbase API secret:", error.Message);
            Assert.DoesNotContain("MHcC", error.Message);
        }

        [EcdsaFact]
        public void AKeyOnAnotherCurveIsRefused()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            var pem = EcKeyPem.Sec1(key);
            var error = Assert.Throws<CtException>(() => CoinbaseKey.Validate(pem.ToCharArray()));
            Assert.Contains("P-256", error.Message);
            Assert.DoesNotContain(Body(pem).Substring(10, 20), error.Message);
        }

        [EcdsaFact]
        public void JwtHasTheDocumentedShapeAndAValidEs256Signature()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            const string name = "organizations/org-1/apiKeys/key-1";
            using var credential = new ApiCredential("coinbase", "default", name, EcKeyPem.Sec1(key).ToCharArray());
            var now = DateTimeOffset.UtcNow;
            var jwt = CoinbaseJwt.Create(credential, "GET", "api.coinbase.com", "/api/v3/brokerage/accounts", now);
            var parts = jwt.Split('.');
            Assert.Equal(3, parts.Length);
            Assert.DoesNotContain('=', jwt);
            using var header = JsonDocument.Parse(Decode(parts[0]));
            using var claims = JsonDocument.Parse(Decode(parts[1]));
            Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());
            Assert.Equal(name, header.RootElement.GetProperty("kid").GetString());
            Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
            Assert.Matches("^[0-9a-f]{32}$", header.RootElement.GetProperty("nonce").GetString());
            Assert.Equal(name, claims.RootElement.GetProperty("sub").GetString());
            Assert.Equal("cdp", claims.RootElement.GetProperty("iss").GetString());
            Assert.Equal(now.ToUnixTimeSeconds(), claims.RootElement.GetProperty("nbf").GetInt64());
            Assert.Equal(now.ToUnixTimeSeconds() + 120, claims.RootElement.GetProperty("exp").GetInt64());
            Assert.Equal("GET api.coinbase.com/api/v3/brokerage/accounts", claims.RootElement.GetProperty("uri").GetString());
            var signature = Decode(parts[2]);
            Assert.Equal(64, signature.Length);
            Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256));
            var second = CoinbaseJwt.Create(credential, "GET", "api.coinbase.com", "/api/v3/brokerage/accounts", now);
            Assert.NotEqual(jwt, second);
        }

        [Theory]
        [InlineData("http://127.0.0.1:8443/api/v3/brokerage", "https://")]
        [InlineData("ftp://example.test/x", "https://")]
        [InlineData("api.coinbase.com/api/v3/brokerage", "https://")]
        [InlineData("https://user:pw@api.coinbase.com/api/v3/brokerage", "user info")]
        [InlineData("https://api.coinbase.com/api/v3/brokerage?x=1", "query")]
        public void OnlyHttpsBaseUrlsAreAccepted(string url, string expected)
        {
            var error = Assert.Throws<CtException>(() => CoinbaseEndpoint.Parse(url));
            Assert.Equal(ErrorIds.InvalidSetting, error.ErrorId);
            Assert.Contains(expected, error.Message);
            Assert.Throws<CtException>(() => new CoinbaseHttp(new Uri(url, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(url) : new Uri("http://x/")));
        }

        [Fact]
        public void TheDefaultBaseUrlIsCoinbase()
        {
            Assert.Equal("https://api.coinbase.com/api/v3/brokerage", CoinbaseEndpoint.Parse(CoinbaseEndpoint.DefaultBaseUrl).ToString());
            Assert.Equal("https://127.0.0.1:4443/api/v3/brokerage", CoinbaseEndpoint.Parse("https://127.0.0.1:4443/api/v3/brokerage/").ToString());
        }

#if NET
        [Fact]
        public void TheTestKeyPemMatchesThePlatformsExport()
        {
            using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            Assert.Equal(p256.ExportECPrivateKeyPem(), EcKeyPem.Sec1(p256));
            Assert.Equal(p384.ExportECPrivateKeyPem(), EcKeyPem.Sec1(p384));
            Assert.Equal(p256.ExportPkcs8PrivateKeyPem(), EcKeyPem.Pkcs8(p256));
        }
#endif

        private static byte[] Decode(string part)
        {
            var padded = part.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
        }
    }
}
