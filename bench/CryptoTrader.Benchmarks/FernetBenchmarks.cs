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

        [Params(64, 1048576)]
        public int PayloadSize { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            key = FernetKey.Generate();
            payload = new byte[PayloadSize];
            new System.Random(42).NextBytes(payload);
            token = Fernet.Encrypt(key, payload);
        }

        [Benchmark]
        public string Encrypt() => Fernet.Encrypt(key, payload);

        [Benchmark]
        public byte[] Decrypt() => Fernet.Decrypt(key, token);
    }
}
