using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using Xunit;

namespace CryptoTrader.Core.Tests.Coinbase
{
    /// <summary>
    /// PEM text of an EC private key, written from its parameters as SEC 1 or PKCS#8 DER, so that both test targets
    /// make Coinbase keys the same way (net472 has no ExportECPrivateKeyPem). On .NET a test pins it to the platform's export.
    /// </summary>
    internal static class EcKeyPem
    {
        private static readonly byte[] EcPublicKeyOid = { 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01 };
        private static readonly byte[] P256Oid = { 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 };
        private static readonly byte[] P384Oid = { 0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22 };

        public static string Sec1(ECDsa key) => Pem("EC PRIVATE KEY", EcPrivateKey(key, withCurve: true));

        public static string Pkcs8(ECDsa key) => Pem("PRIVATE KEY",
            Der(0x30, Der(0x02, new byte[] { 0 }), Der(0x30, EcPublicKeyOid, CurveOid(key)), Der(0x04, EcPrivateKey(key, withCurve: false))));

        // ECPrivateKey (RFC 5915): version 1, the private scalar, [0] the curve, [1] the public point.
        private static byte[] EcPrivateKey(ECDsa key, bool withCurve)
        {
            ECParameters parameters = key.ExportParameters(includePrivateParameters: true);
            var fields = new List<byte[]> { Der(0x02, new byte[] { 1 }), Der(0x04, parameters.D!) };
            if (withCurve)
            {
                fields.Add(Der(0xA0, CurveOid(key)));
            }
            byte[] point = new byte[] { 0x00, 0x04 }.Concat(parameters.Q.X!).Concat(parameters.Q.Y!).ToArray();
            fields.Add(Der(0xA1, Der(0x03, point)));
            return Der(0x30, fields.ToArray());
        }

        private static byte[] CurveOid(ECDsa key) => key.KeySize switch
        {
            256 => P256Oid,
            384 => P384Oid,
            _ => throw new ArgumentException("Only P-256 and P-384 keys are written by this test helper."),
        };

        private static byte[] Der(byte tag, params byte[][] contents)
        {
            byte[] body = contents.SelectMany(c => c).ToArray();
            byte[] length = body.Length < 0x80 ? new[] { (byte)body.Length }
                : body.Length < 0x100 ? new byte[] { 0x81, (byte)body.Length }
                : new byte[] { 0x82, (byte)(body.Length >> 8), (byte)body.Length };
            return new[] { tag }.Concat(length).Concat(body).ToArray();
        }

        private static string Pem(string label, byte[] der)
        {
            string base64 = Convert.ToBase64String(der);
            var lines = Enumerable.Range(0, (base64.Length + 63) / 64).Select(i => base64.Substring(i * 64, Math.Min(64, base64.Length - i * 64)));
            return $"-----BEGIN {label}-----\n{string.Join("\n", lines)}\n-----END {label}-----";
        }
    }

    /// <summary>A test that needs ECDSA, which Mono lacks; skipped there with the reason.</summary>
    public sealed class EcdsaFactAttribute : FactAttribute
    {
        private static readonly Lazy<string?> Unavailable = new Lazy<string?>(Probe);

        public EcdsaFactAttribute()
        {
            if (Unavailable.Value != null)
            {
                Skip = Unavailable.Value;
            }
        }

        private static string? Probe()
        {
            try
            {
                using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                return null;
            }
            catch (NotImplementedException)
            {
                return "Mono cannot host it: Mono has no ECDSA (ECDsa.Create throws NotImplementedException), so Coinbase EC keys " +
                    "are tested on .NET only; .NET Framework on Windows has ECDSA but is not run here.";
            }
        }
    }
}
