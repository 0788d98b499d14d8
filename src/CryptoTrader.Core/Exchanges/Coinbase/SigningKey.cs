using System;
using System.Security.Cryptography;
using BcEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace CryptoTrader.Core.Exchanges.Coinbase
{
    /// <summary>
    /// A CDP key ready to sign one JWT: EC P-256 (ES256, the platform's ECDsa) or Ed25519 (EdDSA, BouncyCastle's
    /// RFC 8032 implementation over our own seed buffer, so Dispose can clear it).
    /// </summary>
    internal sealed class SigningKey : IDisposable
    {
        private readonly byte[]? ed25519Seed;

        private SigningKey(ECDsa? ec, byte[]? ed25519Seed)
        {
            Ec = ec;
            this.ed25519Seed = ed25519Seed;
        }

        public static SigningKey ForEc(ECDsa ec) => new SigningKey(ec, null);

        /// <summary>Takes ownership of the 32-byte seed (cleared on Dispose).</summary>
        public static SigningKey ForEd25519(byte[] seed) => new SigningKey(null, seed);

        public ECDsa? Ec { get; }

        /// <summary>The JWS alg: ES256 or EdDSA.</summary>
        public string Algorithm => Ec is null ? "EdDSA" : "ES256";

        /// <summary>ES256: the IEEE P1363 r || s form (64 bytes for P-256), which JWS wants; EdDSA: R || S.</summary>
        public byte[] Sign(byte[] data)
        {
            if (Ec is ECDsa ec)
            {
                return ec.SignData(data, HashAlgorithmName.SHA256);
            }
            var signature = new byte[BcEd25519.SignatureSize];
            BcEd25519.Sign(ed25519Seed!, 0, data, 0, data.Length, signature, 0);
            return signature;
        }

        public void Dispose()
        {
            Ec?.Dispose();
            if (ed25519Seed != null)
            {
                Array.Clear(ed25519Seed, 0, ed25519Seed.Length);
            }
        }
    }
}
