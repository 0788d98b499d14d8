using System;
using System.Security.Cryptography;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Exchanges.Coinbase
{
    /// <summary>
    /// A CDP API secret: an EC P-256 private key as SEC1 PEM (<c>-----BEGIN EC PRIVATE KEY-----</c>) or PKCS#8 PEM
    /// (<c>-----BEGIN PRIVATE KEY-----</c>), also accepted with literal <c>\n</c> for line breaks (copies pasted from
    /// environment variables). Parsed by hand so the same rules hold on .NET Framework and .NET; every intermediate
    /// buffer is cleared, and the ECDsa object is the caller's to dispose right after signing.
    /// </summary>
    internal static class CoinbaseKey
    {
        private static readonly byte[] P256Oid = { 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 };
        private static readonly byte[] EcPublicKeyOid = { 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01 };

        private static readonly byte[] Ed25519Oid = { 0x06, 0x03, 0x2B, 0x65, 0x70 };

        /// <summary>Throws InvalidApiSecret (saying what is wrong, never showing the value) unless the secret is a usable P-256 or Ed25519 key.</summary>
        public static void Validate(char[] secret)
        {
            using var key = LoadSigner(secret);
            if (key.Ec is ECDsa ec)
            {
                var probe = new byte[] { 1, 2, 3 };
                var signature = ec.SignData(probe, HashAlgorithmName.SHA256);
                if (!ec.VerifyData(probe, signature, HashAlgorithmName.SHA256))
                {
                    throw Invalid("The private key's public part does not match it; copy the whole key again.");
                }
            }
        }

        /// <summary>The P-256 private key as an ECDsa object; dispose it as soon as the signature is made.</summary>
        public static ECDsa Load(char[] secret)
        {
            var key = LoadSigner(secret);
            if (key.Ec is null)
            {
                key.Dispose();
                throw Invalid("The key is an Ed25519 key, not an EC P-256 key.");
            }
            return key.Ec;
        }

        /// <summary>
        /// The signing key: EC P-256 from PEM (SEC1 or PKCS#8), or Ed25519 from PKCS#8 PEM or from base64 of the 32-byte
        /// seed or 64 bytes seed || public key (as Coinbase hands out newer keys). Dispose it right after signing.
        /// </summary>
        public static SigningKey LoadSigner(char[] secret)
        {
            if (IndexOf(secret, secret.Length, "-----BEGIN", 0) < 0)
            {
                return new SigningKey(null, DecodeRawEd25519(secret));
            }
            var der = DecodePem(secret, out var ed25519);
            try
            {
                return ed25519 ? new SigningKey(null, (byte[])der.Clone()) : new SigningKey(Import(der), null);
            }
            finally
            {
                Array.Clear(der, 0, der.Length);
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
                if (raw.Length != 32 && raw.Length != 64)
                {
                    throw Invalid("The secret is base64 but not an Ed25519 key (32 or 64 bytes); an EC key must be given as PEM, starting with '-----BEGIN EC PRIVATE KEY-----'.");
                }
                var seed = new byte[32];
                Array.Copy(raw, seed, 32);
                if (raw.Length == 64)
                {
                    var expected = Ed25519.PublicKey(seed);
                    for (var i = 0; i < 32; i++)
                    {
                        if (expected[i] != raw[32 + i])
                        {
                            Array.Clear(seed, 0, seed.Length);
                            throw Invalid("The Ed25519 key's public half does not match its private half; copy the whole key again.");
                        }
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

        private static byte[] DecodePem(char[] secret, out bool ed25519)
        {
            ed25519 = false;
            var text = new char[secret.Length];
            var length = 0;
            try
            {
                // Literal "\n" (backslash, n) as copied from an environment variable or JSON becomes a real line break.
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
                var (label, bodyStart, bodyEnd) = FindArmor(text, length);
                var body = new char[bodyEnd - bodyStart];
                var count = 0;
                try
                {
                    for (var i = bodyStart; i < bodyEnd; i++)
                    {
                        var c = text[i];
                        if (char.IsWhiteSpace(c))
                        {
                            continue;
                        }
                        if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='))
                        {
                            throw Invalid("The PEM body contains a character that is not base64; copy the key again.");
                        }
                        body[count++] = c;
                    }
                    byte[] der;
                    try
                    {
                        der = Convert.FromBase64CharArray(body, 0, count);
                    }
                    catch (FormatException)
                    {
                        throw Invalid("The PEM body is not valid base64; copy the key again.");
                    }
                    return label == "PRIVATE KEY" ? UnwrapPkcs8(der, out ed25519) : der;
                }
                finally
                {
                    Array.Clear(body, 0, body.Length);
                }
            }
            finally
            {
                Array.Clear(text, 0, text.Length);
            }
        }

        private static (string Label, int Start, int End) FindArmor(char[] text, int length)
        {
            foreach (var label in new[] { "EC PRIVATE KEY", "PRIVATE KEY" })
            {
                var begin = IndexOf(text, length, "-----BEGIN " + label + "-----", 0);
                if (begin < 0)
                {
                    continue;
                }
                var start = begin + ("-----BEGIN " + label + "-----").Length;
                var end = IndexOf(text, length, "-----END " + label + "-----", start);
                if (end < 0)
                {
                    throw Invalid($"The PEM has no '-----END {label}-----' line; copy the whole key, including its last line.");
                }
                return (label, start, end);
            }
            if (IndexOf(text, length, "-----BEGIN", 0) >= 0)
            {
                throw Invalid("The PEM is not a private key; a Coinbase CDP secret starts with '-----BEGIN EC PRIVATE KEY-----'.");
            }
            throw Invalid("The secret is not a PEM private key. A Coinbase CDP secret is an EC private key starting with '-----BEGIN EC PRIVATE KEY-----' (line breaks may be written as \\n).");
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

        // PKCS#8: SEQUENCE { INTEGER 0, SEQUENCE { OID ecPublicKey, OID prime256v1 }, OCTET STRING { SEC1 } }
        private static byte[] UnwrapPkcs8(byte[] der, out bool ed25519)
        {
            ed25519 = false;
            try
            {
                var reader = new DerReader(der);
                var outer = reader.Enter(0x30);
                if (outer.ReadInteger() != 0)
                {
                    throw Invalid("The PKCS#8 key has an unknown version.");
                }
                var algorithm = outer.Enter(0x30);
                var oid = algorithm.ReadRaw();
                if (oid.AsSpan().SequenceEqual(Ed25519Oid))
                {
                    // RFC 8410: the private key is an OCTET STRING holding the OCTET STRING of the 32-byte seed.
                    var inner = outer.ReadValue(0x04);
                    try
                    {
                        var seed = new DerReader(inner).ReadValue(0x04);
                        if (seed.Length != 32)
                        {
                            throw Invalid("The Ed25519 private key is not 32 bytes.");
                        }
                        ed25519 = true;
                        return seed;
                    }
                    finally
                    {
                        Array.Clear(inner, 0, inner.Length);
                    }
                }
                if (!oid.AsSpan().SequenceEqual(EcPublicKeyOid))
                {
                    throw Invalid("The private key is neither an EC key nor an Ed25519 key; Coinbase CDP keys are EC P-256 (ES256) or Ed25519.");
                }
                if (!algorithm.ReadRaw().AsSpan().SequenceEqual(P256Oid))
                {
                    throw Invalid("The EC key is not on the P-256 curve; Coinbase CDP keys use P-256 (ES256).");
                }
                return outer.ReadValue(0x04);
            }
            catch (FormatException)
            {
                throw Invalid("The PEM does not contain a well-formed PKCS#8 private key (bad DER structure); copy the key again.");
            }
            finally
            {
                Array.Clear(der, 0, der.Length);
            }
        }

        // SEC1: SEQUENCE { INTEGER 1, OCTET STRING d, [0] OID curve OPTIONAL, [1] BIT STRING Q OPTIONAL }
        private static ECDsa Import(byte[] der)
        {
            byte[]? d = null;
            try
            {
                var outer = new DerReader(der).Enter(0x30);
                if (outer.ReadInteger() != 1)
                {
                    throw Invalid("The EC private key has an unknown version.");
                }
                d = outer.ReadValue(0x04);
                if (d.Length != 32)
                {
                    throw Invalid("The EC private key is not a P-256 key (its private value is not 32 bytes).");
                }
                byte[]? q = null;
                while (outer.HasMore)
                {
                    var tag = outer.PeekTag();
                    if (tag == 0xA0)
                    {
                        var curve = outer.Enter(0xA0);
                        if (!curve.ReadRaw().AsSpan().SequenceEqual(P256Oid))
                        {
                            throw Invalid("The EC key is not on the P-256 curve; Coinbase CDP keys use P-256 (ES256).");
                        }
                    }
                    else if (tag == 0xA1)
                    {
                        var bits = outer.Enter(0xA1).ReadValue(0x03);
                        if (bits.Length != 66 || bits[0] != 0 || bits[1] != 0x04)
                        {
                            throw Invalid("The EC key's public part is not an uncompressed P-256 point.");
                        }
                        q = bits;
                    }
                    else
                    {
                        outer.ReadRaw();
                    }
                }
                var parameters = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d };
                if (q != null)
                {
                    parameters.Q = new ECPoint { X = q.AsSpan(2, 32).ToArray(), Y = q.AsSpan(34, 32).ToArray() };
                }
                try
                {
                    var key = ECDsa.Create();
                    try
                    {
                        key.ImportParameters(parameters);
                        return key;
                    }
                    catch
                    {
                        key.Dispose();
                        throw;
                    }
                }
                catch (CryptographicException)
                {
                    throw Invalid("The EC private key could not be loaded (it is damaged or not a P-256 key); copy it again.");
                }
            }
            catch (FormatException)
            {
                throw Invalid("The PEM does not contain a well-formed EC private key (bad DER structure); copy the key again.");
            }
            finally
            {
                if (d != null)
                {
                    Array.Clear(d, 0, d.Length);
                }
            }
        }

        private static CtException Invalid(string message) =>
            new CtException(ErrorIds.InvalidApiSecret, CtErrorKind.InvalidArgument, "Coinbase API secret: " + message, "ApiSecret");

        /// <summary>A minimal DER reader (definite lengths only); throws FormatException on anything malformed.</summary>
        private sealed class DerReader
        {
            private readonly byte[] data;
            private readonly int end;
            private int position;

            public DerReader(byte[] data, int start = 0, int? end = null)
            {
                this.data = data;
                position = start;
                this.end = end ?? data.Length;
            }

            public bool HasMore => position < end;

            public byte PeekTag() => position < end ? data[position] : throw new FormatException();

            public DerReader Enter(byte tag)
            {
                var (start, length) = Header(tag);
                position = start + length;
                return new DerReader(data, start, start + length);
            }

            public byte[] ReadValue(byte tag)
            {
                var (start, length) = Header(tag);
                position = start + length;
                return data.AsSpan(start, length).ToArray();
            }

            public int ReadInteger()
            {
                var value = ReadValue(0x02);
                if (value.Length != 1)
                {
                    throw new FormatException();
                }
                return value[0];
            }

            /// <summary>The whole next element, tag and length included.</summary>
            public byte[] ReadRaw()
            {
                var begin = position;
                var (start, length) = Header(PeekTag());
                position = start + length;
                return data.AsSpan(begin, position - begin).ToArray();
            }

            private (int Start, int Length) Header(byte tag)
            {
                if (position + 2 > end || data[position] != tag)
                {
                    throw new FormatException();
                }
                var p = position + 1;
                int length = data[p++];
                if (length >= 0x80)
                {
                    var bytes = length & 0x7F;
                    if (bytes < 1 || bytes > 3 || p + bytes > end)
                    {
                        throw new FormatException();
                    }
                    length = 0;
                    for (var i = 0; i < bytes; i++)
                    {
                        length = (length << 8) | data[p++];
                    }
                }
                if (p + length > end)
                {
                    throw new FormatException();
                }
                return (p, length);
            }
        }
    }
}
