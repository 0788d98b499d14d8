using System;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CryptoTrader.Core.Crypto;

namespace CryptoTrader.Benchmarks
{
    /// <summary>Fernet round-trip costs; bench/python/fernet_bench.py times the same operations in Python.</summary>
    public class FernetBenchmarks
    {
        private FernetKey key = null!;
        private byte[] payload = null!;
        private string token = null!;
        private Aes floorCipher = null!;
        private byte[] floorSigningKey = null!;
        private byte[] floorIv = null!;

        [Params(64, 1048576)]
        public int PayloadSize { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            key = FernetKey.Generate();
            payload = new byte[PayloadSize];
            new System.Random(42).NextBytes(payload);
            token = Fernet.Encrypt(key, payload);
            floorCipher = Aes.Create();
            floorCipher.Key = RandomNumberGenerator.GetBytes(16);
            floorSigningKey = RandomNumberGenerator.GetBytes(16);
            floorIv = RandomNumberGenerator.GetBytes(16);
        }

        [GlobalCleanup]
        public void Cleanup() => floorCipher.Dispose();

        [Benchmark]
        public string Encrypt() => Fernet.Encrypt(key, payload);

        [Benchmark]
        public byte[] Decrypt() => Fernet.Decrypt(key, token);

        /// <summary>
        /// The floor under Encrypt: the platform's one-shot AES-CBC, an HMAC-SHA256 of the ciphertext and its base64
        /// text, with none of Fernet's framing, copies or URL-safe alphabet. Encrypt cannot be faster than this.
        /// </summary>
        [Benchmark]
        public string PlatformFloor()
        {
            byte[] ciphertext = floorCipher.EncryptCbc(payload, floorIv);
            byte[] mac = HMACSHA256.HashData(floorSigningKey, ciphertext);
            return Convert.ToBase64String(ciphertext) + mac[0];
        }
    }
}
