using System;
using System.Security.Cryptography;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Utilities.IO.Pem;
using BcEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace CryptoTrader.Core.Exchanges.Coinbase
{
    /// <summary>
    /// A CDP API secret: an EC P-256 private key as SEC1 PEM (<c>-----BEGIN EC PRIVATE KEY-----</c>) or PKCS#8 PEM
    /// (<c>-----BEGIN PRIVATE KEY-----</c>), an Ed25519 key as PKCS#8 PEM, or the base64 of an Ed25519 seed (32 bytes) or
    /// seed and public key (64 bytes). PEM literal <c>\n</c> (as pasted from an environment variable) counts as a line break.
    /// PEM, PKCS#8 and SEC1 are parsed by BouncyCastle on both targets; the public key of an EC key is computed from its
    /// private scalar and must match the one the key carries.
    /// </summary>
    internal static class CoinbaseKey
    {
        private const int P256Length = 32;

        /// <summary>Throws InvalidApiSecret (saying what is wrong, never showing the value) unless the secret is a usable P-256 or Ed25519 key.</summary>
        public static void Validate(char[] secret)
        {
            using (LoadSigner(secret))
            {
            }
        }

        /// <summary>The signing key: EC P-256 or Ed25519. Dispose it right after signing.</summary>
        public static SigningKey LoadSigner(char[] secret)
        {
            if (IndexOf(secret, secret.Length, "-----BEGIN", 0) < 0)
            {
                return SigningKey.ForEd25519(DecodeRawEd25519(secret));
            }
            var pem = ReadPem(secret);
            try
            {
                return pem.Type switch
                {
                    "EC PRIVATE KEY" => FromSec1(Parse(() => ECPrivateKeyStructure.GetInstance(pem.Content)), curveFromOuter: null),
                    "PRIVATE KEY" => FromPkcs8(Parse(() => PrivateKeyInfo.GetInstance(pem.Content))),
                    _ => throw Invalid("The PEM is not a private key; a Coinbase CDP secret starts with '-----BEGIN EC PRIVATE KEY-----'."),
                };
            }
            finally
            {
                Array.Clear(pem.Content, 0, pem.Content.Length);
            }
        }

        private static PemObject ReadPem(char[] secret)
        {
            // Literal "\n" (backslash, n) as copied from an environment variable or JSON becomes a real line break.
            var text = new char[secret.Length];
            var length = 0;
            try
            {
                for (var i = 0; i < secret.Length; i++)
                {
                    if (secret[i] == '\\' && i + 1 < secret.Length && (secret[i + 1] == 'n' || secret[i + 1] == 'r'))
                    {
                        text[length++] = '\n';
                        i++;
                    }
                    else
                    {
                        text[length++] = secret[i];
                    }
                }
                using var reader = new PemReader(new CharArrayReader(text, length));
                return Parse(reader.ReadPemObject)
                    ?? throw Invalid("The secret is not a PEM private key. A Coinbase CDP secret is an EC private key starting with '-----BEGIN EC PRIVATE KEY-----' (line breaks may be written as \\n).");
            }
            finally
            {
                Array.Clear(text, 0, text.Length);
            }
        }

        // PKCS#8: an Ed25519 key (RFC 8410: an OCTET STRING holding the 32-byte seed) or an EC key holding a SEC1 structure.
        private static SigningKey FromPkcs8(PrivateKeyInfo info)
        {
            var algorithm = info.PrivateKeyAlgorithm.Algorithm;
            if (algorithm.Equals(EdECObjectIdentifiers.id_Ed25519))
            {
                var seed = Parse(() => Asn1OctetString.GetInstance(info.ParsePrivateKey()).GetOctets());
                if (seed.Length != BcEd25519.SecretKeySize)
                {
                    Array.Clear(seed, 0, seed.Length);
                    throw Invalid("The Ed25519 private key is not 32 bytes.");
                }
                return SigningKey.ForEd25519(seed);
            }
            if (!algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey))
            {
                throw Invalid("The private key is neither an EC key nor an Ed25519 key; Coinbase CDP keys are EC P-256 (ES256) or Ed25519.");
            }
            var curve = Parse(() => X962Parameters.GetInstance(info.PrivateKeyAlgorithm.Parameters));
            return FromSec1(Parse(() => ECPrivateKeyStructure.GetInstance(info.ParsePrivateKey())), curve);
        }

        // SEC1: SEQUENCE { INTEGER 1, OCTET STRING d, [0] curve OPTIONAL, [1] BIT STRING Q OPTIONAL }.
        private static SigningKey FromSec1(ECPrivateKeyStructure key, X962Parameters? curveFromOuter)
        {
            var curve = curveFromOuter ?? Parse(() => key.Parameters is null ? null : X962Parameters.GetInstance(key.Parameters));
            if (curve is null || !curve.IsNamedCurve || !curve.NamedCurve.Equals(SecObjectIdentifiers.SecP256r1))
            {
                throw Invalid("The EC key is not on the P-256 curve; Coinbase CDP keys use P-256 (ES256).");
            }
            var d = Parse(key.GetKey);
            ECPrivateKeyParameters privateKey;
            try
            {
                // BouncyCastle checks the scalar is in [1, n - 1].
                privateKey = new ECPrivateKeyParameters("EC", d, SecObjectIdentifiers.SecP256r1);
            }
            catch (ArgumentException)
            {
                throw Invalid("The EC private key is not a valid P-256 key (its private value is out of range); copy it again.");
            }
            // BouncyCastle's own encoding of the key gives the private value as 32 big-endian bytes and derives the
            // public key (uncompressed: 0x04, X, Y).
            var canonical = ECPrivateKeyStructure.GetInstance(PrivateKeyInfoFactory.CreatePrivateKeyInfo(privateKey).ParsePrivateKey());
            var derived = canonical.PublicKey.GetOctets();
            var x = derived.AsSpan(1, P256Length).ToArray();
            var y = derived.AsSpan(1 + P256Length, P256Length).ToArray();
            var given = Parse(() => key.PublicKey?.GetOctets());
            if (given != null && !ConstantTime.Equals(given, derived))
            {
                throw Invalid("The private key's public part does not match it; copy the whole key again.");
            }
            var parameters = new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                D = canonical.PrivateKey.GetOctets(),
                Q = new ECPoint { X = x, Y = y },
            };
            try
            {
                var ec = ECDsa.Create();
                try
                {
                    ec.ImportParameters(parameters);
                    return SigningKey.ForEc(ec);
                }
                catch (CryptographicException)
                {
                    ec.Dispose();
                    throw Invalid("The EC private key could not be loaded (it is damaged or not a P-256 key); copy it again.");
                }
            }
            finally
            {
                Array.Clear(parameters.D, 0, parameters.D.Length);
            }
        }

        private static byte[] DecodeRawEd25519(char[] secret)
        {
            var body = new char[secret.Length];
            var count = 0;
            byte[]? raw = null;
            try
            {
                foreach (var c in secret)
                {
                    if (!char.IsWhiteSpace(c))
                    {
                        body[count++] = c;
                    }
                }
                try
                {
                    raw = Convert.FromBase64CharArray(body, 0, count);
                }
                catch (FormatException)
                {
                    throw Invalid("The secret is neither a PEM private key nor base64. A Coinbase CDP secret is an EC private key starting with '-----BEGIN EC PRIVATE KEY-----' (line breaks may be written as \\n), or the base64 of an Ed25519 key.");
                }
                if (raw.Length != BcEd25519.SecretKeySize && raw.Length != BcEd25519.SecretKeySize + BcEd25519.PublicKeySize)
                {
                    throw Invalid("The secret is base64 but not an Ed25519 key (32 or 64 bytes); an EC key must be given as PEM, starting with '-----BEGIN EC PRIVATE KEY-----'.");
                }
                var seed = new byte[BcEd25519.SecretKeySize];
                Array.Copy(raw, seed, seed.Length);
                if (raw.Length > seed.Length)
                {
                    var expected = new byte[BcEd25519.PublicKeySize];
                    BcEd25519.GeneratePublicKey(seed, 0, expected, 0);
                    if (!ConstantTime.Equals(expected, 0, raw, seed.Length, BcEd25519.PublicKeySize))
                    {
                        Array.Clear(seed, 0, seed.Length);
                        throw Invalid("The Ed25519 key's public half does not match its private half; copy the whole key again.");
                    }
                }
                return seed;
            }
            finally
            {
                Array.Clear(body, 0, body.Length);
                if (raw != null)
                {
                    Array.Clear(raw, 0, raw.Length);
                }
            }
        }

        internal static int IndexOf(char[] text, int length, string value, int from)
        {
            for (var i = from; i + value.Length <= length; i++)
            {
                var match = true;
                for (var j = 0; j < value.Length && match; j++)
                {
                    match = text[i + j] == value[j];
                }
                if (match)
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>
        /// Runs one BouncyCastle parsing step; whatever it throws on damaged input (IOException, ArgumentException, cast and
        /// format errors) becomes InvalidApiSecret. Its message is dropped: it may quote the input.
        /// </summary>
        private static T Parse<T>(Func<T> step)
        {
            try
            {
                return step();
            }
            catch (Exception e) when (!(e is CtException) && !(e is OutOfMemoryException))
            {
                throw Invalid("The key could not be read (its BEGIN/END lines, base64 body or DER structure are damaged); copy the whole key again, including its first and last lines.");
            }
        }

        private static CtException Invalid(string message) =>
            new CtException(ErrorIds.InvalidApiSecret, CtErrorKind.InvalidArgument, "Coinbase API secret: " + message, "ApiSecret");
    }
}
