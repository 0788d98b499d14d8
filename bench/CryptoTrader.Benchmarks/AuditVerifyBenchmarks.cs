using BenchmarkDotNet.Attributes;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Benchmarks
{
    /// <summary>Test-CtAuditLog's work: AuditVerifier.Verify over the whole 1,000,000-record chain.</summary>
    /// <remarks>Seconds per operation: a few single-invocation iterations keep the run short.</remarks>
    [WarmupCount(1)]
    [IterationCount(3)]
    [InvocationCount(1)]
    public class AuditVerifyBenchmarks
    {
        private CtDatabase database = null!;
        private AuditVerifier verifier = null!;

        [GlobalSetup]
        public void Setup()
        {
            var log = LargeAuditLog.Instance;
            database = CtDatabase.Open(log.Home);
            verifier = new AuditVerifier(database, log.Home, log.Ring);
        }

        [GlobalCleanup]
        public void Cleanup() => database.Dispose();

        [Benchmark]
        public AuditVerification Verify()
        {
            var result = verifier.Verify(keepCheckpoint: true);
            if (!result.IsValid)
            {
                throw new System.InvalidOperationException("The benchmark log does not verify: " + result.Reason);
            }
            return result;
        }
    }
}
