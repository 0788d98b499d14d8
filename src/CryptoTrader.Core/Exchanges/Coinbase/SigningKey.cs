using System;
using System.Security.Cryptography;

namespace CryptoTrader.Core.Exchanges.Coinbase
{
    /// <summary>A CDP key ready to sign one JWT: EC P-256 (ES256) or Ed25519 (EdDSA). Dispose clears it.</summary>
    internal sealed class SigningKey : IDisposable
    {
        private readonly byte[]? ed25519Seed;

        public SigningKey(ECDsa? ec, byte[]? ed25519Seed)
        {
            Ec = ec;
            this.ed25519Seed = ed25519Seed;
        }

        public ECDsa? Ec { get; }

        /// <summary>The JWS alg: ES256 or EdDSA.</summary>
        public string Algorithm => Ec is null ? "EdDSA" : "ES256";

        /// <summary>ES256: the IEEE P1363 r || s form (64 bytes for P-256), which JWS wants; EdDSA: R || S.</summary>
        public byte[] Sign(byte[] data) => Ec is ECDsa ec ? ec.SignData(data, HashAlgorithmName.SHA256) : Ed25519.Sign(ed25519Seed!, data);

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
