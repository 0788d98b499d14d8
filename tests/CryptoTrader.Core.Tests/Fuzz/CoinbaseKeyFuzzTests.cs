using System;
using System.Linq;
using System.Security.Cryptography;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges.Coinbase;
using CsCheck;
using Xunit;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>
    /// The Coinbase CDP secret parser (PEM SEC1 / PKCS#8 EC P-256, PKCS#8 or raw base64 Ed25519) on hostile secrets:
    /// the only failure is CtException InvalidApiSecret, and a secret that validates also loads and signs.
    /// </summary>
    [Trait("Category", FuzzRun.Category)]
    public sealed class CoinbaseKeyFuzzTests
    {
        private static readonly ECDsa[] EcKeys = Enumerable.Range(0, 3).Select(_ => ECDsa.Create(ECCurve.NamedCurves.nistP256)).ToArray();

        private static readonly Gen<string> ValidPem = Gen.Select(Gen.Int[0, EcKeys.Length - 1], Gen.Int[0, 2], (index, form) => form switch
        {
            0 => EcKeys[index].ExportECPrivateKeyPem(),
            1 => EcKeys[index].ExportPkcs8PrivateKeyPem(),
            _ => EcKeys[index].ExportECPrivateKeyPem().Replace("\n", "\\n"),
        });

        /// <summary>A PEM whose DER body was damaged (bit flips, truncation, length bytes...) and re-armoured, so it reaches the DER reader.</summary>
        private static readonly Gen<string> PemWithMutatedDer = Gen.Select(Gen.Int[0, EcKeys.Length - 1], Gen.Bool).SelectMany(choice =>
        {
            var (label, der) = choice.Item2
                ? ("EC PRIVATE KEY", EcKeys[choice.Item1].ExportECPrivateKey())
                : ("PRIVATE KEY", EcKeys[choice.Item1].ExportPkcs8PrivateKey());
            return Mutations.OfBytes(der).Select(bytes => PemEncoding.WriteString(label, bytes));
        });

        private static readonly Gen<string> Ed25519Base64 = Gen.Select(Gen.Byte.Array[32], Gen.Bool, (seed, withPublic) =>
            Convert.ToBase64String(withPublic ? seed.Concat(Ed25519PublicKey(seed)).ToArray() : seed));

        private static byte[] Ed25519PublicKey(byte[] seed)
        {
            var publicKey = new byte[32];
            Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.GeneratePublicKey(seed, 0, publicKey, 0);
            return publicKey;
        }

        [Fact]
        public void ValidPemKeysValidateAndKeepTheirPublicKey() =>
            FuzzRun.Check(Gen.Int[0, EcKeys.Length - 1], index =>
            {
                foreach (var pem in new[] { EcKeys[index].ExportECPrivateKeyPem(), EcKeys[index].ExportPkcs8PrivateKeyPem() })
                {
                    CoinbaseKey.Validate(pem.ToCharArray());
                    using var loaded = CoinbaseKey.LoadSigner(pem.ToCharArray());
                    Assert.Equal(EcKeys[index].ExportParameters(false).Q.X, loaded.Ec!.ExportParameters(false).Q.X);
                }
            }, ciDefault: 30);

        [Fact]
        public void RandomSecretsFailOnlyAsAnInvalidApiSecret() =>
            FuzzRun.Check(Gen.OneOf<string>(Gen.String, Gen.String[Gen.Char[Mutations.EdgeChars], 0, 200], Gen.Const("-----BEGIN EC PRIVATE KEY-----").SelectMany(Mutations.OfText)),
                AssertValidatesOrFailsCleanly, ciDefault: 5_000);

        [Fact]
        public void MutatedPemTextFailsOnlyAsAnInvalidApiSecret() =>
            FuzzRun.Check(ValidPem.SelectMany(Mutations.OfText), AssertValidatesOrFailsCleanly, ciDefault: 3_000);

        [Fact]
        public void MutatedDerFailsOnlyAsAnInvalidApiSecret() =>
            FuzzRun.Check(PemWithMutatedDer, AssertValidatesOrFailsCleanly, ciDefault: 3_000);

        [Fact]
        public void MutatedEd25519SecretsFailOnlyAsAnInvalidApiSecret() =>
            FuzzRun.Check(Ed25519Base64.SelectMany(Mutations.OfText), AssertValidatesOrFailsCleanly, ciDefault: 2_000);

        private static void AssertValidatesOrFailsCleanly(string secret)
        {
            var error = Allowed.CtFailure(() => CoinbaseKey.Validate(secret.ToCharArray()), ErrorIds.InvalidApiSecret);
            if (error is null)
            {
                using var signer = CoinbaseKey.LoadSigner(secret.ToCharArray());
                Assert.NotEmpty(signer.Sign(new byte[] { 1, 2, 3 }));
            }
            else
            {
                Assert.StartsWith("Coinbase API secret: ", error.Message);
            }
        }
    }
}
