using System;
using System.Diagnostics;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Benchmarks
{
    /// <summary>
    /// One audit log of <see cref="RecordCount"/> valid, chained records, built through AuditLog in large
    /// transactions the first time a benchmark asks for it and shared by every benchmark of the run; its temp
    /// folder is deleted when the process exits. Every <see cref="MatchEvery"/>th record is on
    /// <see cref="RareExchange"/>, so filtering on it returns <see cref="RecordCount"/> ÷ <see cref="MatchEvery"/> records.
    /// </summary>
    internal sealed class LargeAuditLog
    {
        public const int RecordCount = 1_000_000;
        public const int MatchEvery = 1_000;
        public const string RareExchange = "kraken";
        private const int RecordsPerTransaction = 50_000;
        private static readonly Lazy<LargeAuditLog> Shared = new Lazy<LargeAuditLog>(Build);

        private LargeAuditLog(BenchFolder folder, DataHome home, KeyRing ring)
        {
            Folder = folder;
            Home = home;
            Ring = ring;
        }

        public static LargeAuditLog Instance => Shared.Value;

        public BenchFolder Folder { get; }

        public DataHome Home { get; }

        public KeyRing Ring { get; }

        private static LargeAuditLog Build()
        {
            var clock = Stopwatch.StartNew();
            var folder = new BenchFolder("audit-1m");
            AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
            var home = DataHome.At(System.IO.Path.Combine(folder.Path, "home"));
            var ring = KeyRing.CreateNew();
            var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using (var database = CtDatabase.Open(home))
            {
                var log = new AuditLog(database, home, ring, "bench@host");
                for (var first = 0; first < RecordCount; first += RecordsPerTransaction)
                {
                    log.Write(transaction =>
                    {
                        for (var i = first; i < first + RecordsPerTransaction; i++)
                        {
                            var exchange = i % MatchEvery == MatchEvery - 1 ? RareExchange : (i % 2 == 0 ? "binance" : "coinbase");
                            var details = new AuditDetails()
                                .Add("exchange", exchange)
                                .Add("symbol", "BTC-USD")
                                .Add("quantity", 0.001m * (i % 500));
                            transaction.Append(i % 3 == 0 ? "order.cancelled" : "order.placed", details, start.AddSeconds(i));
                        }
                    });
                }
            }
            Console.WriteLine($"// Built the {RecordCount:N0}-record audit log in {clock.Elapsed.TotalSeconds:F1} s.");
            return new LargeAuditLog(folder, home, ring);
        }
    }
}
