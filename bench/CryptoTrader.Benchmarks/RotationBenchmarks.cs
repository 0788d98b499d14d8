using System;
using System.IO;
using System.Text;
using BenchmarkDotNet.Attributes;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Benchmarks
{
    /// <summary>
    /// Update-CtEncryptionKey's core, <see cref="KeyRotation.Rotate"/>, over 10,000 stored credentials;
    /// bench/python/rotation_bench.py times MultiFernet.rotate over 10,000 tokens of the same size.
    /// Each measured invocation gets a fresh data folder with the credentials under one key (built in the
    /// iteration setup, not timed) and an in-memory key store, so only the rotation itself is measured.
    /// </summary>
    [RunOncePerIteration, WarmupCount(1), IterationCount(7)]
    public class RotationBenchmarks
    {
        public const int Credentials = 10_000;

        // A Coinbase Advanced Trade (CDP) key: its name is the API key, its secret a P-256 EC key in PEM (227 bytes).
        internal const string ApiKeyPrefix = "organizations/8f2c1a4e-5b7d-4c9e-a1f3-6d2e8b0c9a71/apiKeys/";

        private static readonly char[] Secret = MakeSecret();

        /// <summary>The length of one stored token (printed by the cleanup, for comparison with the Python baseline).</summary>
        internal static int TokenChars;

        private AuditRecord? last;

        private string folder = null!;
        private CtDatabase database = null!;
        private DataHome home = null!;
        private KeyRingProvider provider = null!;

        [IterationSetup]
        public void Setup()
        {
            folder = Path.Combine(Path.GetTempPath(), "ct-bench-rotation-" + Guid.NewGuid().ToString("N"));
            home = DataHome.At(folder);
            database = CtDatabase.Open(home);
            var store = new MemoryKeyStore();
            provider = new KeyRingProvider(home, new SettingsStore(database), store);
            var ring = provider.GetOrCreate();
            var audit = new AuditLog(database, home, ring, "bench");
            var credentials = new CredentialStore(database);
            var fingerprintKey = ring.DeriveSubkey(ring.Primary.Id, SubkeyPurpose.Fingerprint);
            var now = AuditTime.Format(DateTimeOffset.UtcNow);
            // One transaction for all rows (ApiKeyService.Set would fsync 10,000 times); the rows are what Set writes.
            audit.Write(transaction =>
            {
                for (var i = 0; i < Credentials; i++)
                {
                    var name = "bench-" + i.ToString("D5");
                    var payload = CredentialPayload.Encode(ExchangeCatalog.Coinbase, name, ApiKey(i), Secret);
                    var encrypted = ring.Encrypt(payload);
                    TokenChars = encrypted.Token.Length;
                    credentials.Upsert(transaction, new StoredCredential(ExchangeCatalog.Coinbase, name, encrypted.Token, encrypted.KeyId,
                        Fingerprint.Compute(fingerprintKey, payload), now, now));
                }
                transaction.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "bench").Add("n", (long)Credentials));
            });
        }

        [Benchmark]
        public AuditRecord Rotate10k() =>
            last = new KeyRotation(database, home, provider).Rotate(ring => new AuditLog(database, home, ring, "bench"));

        [IterationCleanup]
        public void Cleanup()
        {
            if (last != null && Convert.ToInt64(last.Details["reencrypted"]) != Credentials)
            {
                throw new InvalidOperationException($"The rotation re-encrypted {last.Details["reencrypted"]} credentials, not {Credentials}.");
            }
            Console.WriteLine($"// Rotation: one stored token is {TokenChars} characters.");
            last = null;
            database.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        internal static string ApiKey(int i) => ApiKeyPrefix + new Guid(i, 0x4d3c, 0x4b2a, 0x9e, 0x8f, 0x7a, 0x6b, 0x5c, 0x4d, 0x3e, 0x2f);

        private static char[] MakeSecret()
        {
            // The shape of `openssl ecparam -name prime256v1 -genkey`: 121 bytes of SEC1 DER in three base64 lines.
            // Deterministic bytes, the same as bench/python/rotation_bench.py uses, so both payloads have the same size.
            var der = new byte[121];
            for (var i = 0; i < der.Length; i++)
            {
                der[i] = (byte)((i * 37 + 11) % 256);
            }
            var body = Convert.ToBase64String(der);
            var pem = new StringBuilder("-----BEGIN EC PRIVATE KEY-----\n");
            for (var i = 0; i < body.Length; i += 64)
            {
                pem.Append(body, i, Math.Min(64, body.Length - i)).Append('\n');
            }
            pem.Append("-----END EC PRIVATE KEY-----\n");
            return pem.ToString().ToCharArray();
        }

        private sealed class MemoryKeyStore : IKeyStore
        {
            private readonly string id = Guid.NewGuid().ToString("N");
            private KeyRing? ring;

            public KeyStoreKind Kind => KeyStoreKind.File;

            public string Location => "memory " + id;

            public string CacheKey => "bench-memory:" + id;

            public KeyRing? Load() => ring;

            public void Save(KeyRing value) => ring = value;

            public bool Delete()
            {
                var had = ring != null;
                ring = null;
                return had;
            }
        }
    }
}
