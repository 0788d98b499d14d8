using System;
using BenchmarkDotNet.Attributes;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Benchmarks
{
    /// <summary>
    /// A daily check of a long log (Test-CtAuditLog -Since Checkpoint): the 1,000,000-record chain verified once in full (which
    /// saves the checkpoint), then each iteration appends <see cref="NewRecords"/> records (not timed) and verifies from the checkpoint.
    /// </summary>
    [WarmupCount(1)]
    [IterationCount(5)]
    [InvocationCount(1)]
    public class AuditCheckpointBenchmarks
    {
        public const int NewRecords = 1_000;
        private CtDatabase database = null!;
        private AuditLog log = null!;
        private AuditVerifier verifier = null!;
        private DateTimeOffset next = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        [GlobalSetup]
        public void Setup()
        {
            var large = LargeAuditLog.Instance;
            database = CtDatabase.Open(large.Home);
            log = new AuditLog(database, large.Home, large.Ring, "bench@host");
            verifier = new AuditVerifier(database, large.Home, large.Ring);
            RequireValid(verifier.Verify(keepCheckpoint: true));
        }

        [IterationSetup]
        public void AppendNewRecords() => log.Write(transaction =>
        {
            for (var i = 0; i < NewRecords; i++)
            {
                next = next.AddSeconds(1);
                transaction.Append("order.placed", new AuditDetails().Add("exchange", "coinbase").Add("symbol", "BTC-USD").Add("quantity", 0.001m), next);
            }
        });

        [GlobalCleanup]
        public void Cleanup() => database.Dispose();

        [Benchmark]
        public AuditVerification VerifySinceCheckpoint()
        {
            var result = verifier.Verify(sinceCheckpoint: true, keepCheckpoint: true);
            RequireValid(result);
            if (result.VerifiedFrom <= LargeAuditLog.RecordCount)
            {
                throw new InvalidOperationException($"The verification started at record {result.VerifiedFrom}, not after the checkpoint.");
            }
            return result;
        }

        private static void RequireValid(AuditVerification result)
        {
            if (!result.IsValid)
            {
                throw new InvalidOperationException("The benchmark log does not verify: " + result.Reason);
            }
        }
    }
}
