using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Benchmarks
{
    /// <summary>Get-CtAuditLog's query path: AuditReader.Read with an exchange filter matching 1,000 of 1,000,000 records.</summary>
    public class AuditQueryBenchmarks
    {
        private CtDatabase database = null!;
        private AuditReader reader = null!;
        private AuditQuery query = null!;

        [GlobalSetup]
        public void Setup()
        {
            var log = LargeAuditLog.Instance;
            database = CtDatabase.Open(log.Home);
            reader = new AuditReader(database);
            query = new AuditQuery { Exchange = LargeAuditLog.RareExchange };
            var count = Query().Count;
            if (count != LargeAuditLog.RecordCount / LargeAuditLog.MatchEvery)
            {
                throw new System.InvalidOperationException($"The query returned {count} records.");
            }
        }

        [GlobalCleanup]
        public void Cleanup() => database.Dispose();

        [Benchmark]
        public List<AuditRecord> Query() => reader.Read(query).ToList();
    }
}
