using System;
using BenchmarkDotNet.Attributes;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Benchmarks
{
    /// <summary>
    /// Durable single-record appends: AuditLog.Append (its own transaction, on the database as the module opens it)
    /// against the same row inserted with plain SQLite (same schema and PRAGMAs, one prepared INSERT per transaction).
    /// </summary>
    public class AuditAppendBenchmarks
    {
        private const string EventType = "order.placed";
        private const string UserId = "bench@host";
        private const string Details = "{\"exchange\":\"kraken\",\"symbol\":\"BTC-USD\",\"quantity\":0.5}";
        private static readonly string SampleMac = new string('a', 64);

        private BenchFolder folder = null!;
        private CtDatabase database = null!;
        private AuditLog log = null!;
        private AuditDetails details = null!;
        private SqliteConnection raw = null!;
        private SqliteCommand insert = null!;
        private long rawSequence;

        [GlobalSetup]
        public void Setup()
        {
            folder = new BenchFolder("append");
            var home = DataHome.At(System.IO.Path.Combine(folder.Path, "module"));
            database = CtDatabase.Open(home);
            log = new AuditLog(database, home, KeyRing.CreateNew(), UserId);
            details = new AuditDetails().Add("exchange", "kraken").Add("symbol", "BTC-USD").Add("quantity", 0.5m);
            raw = OpenRaw(DataHome.At(System.IO.Path.Combine(folder.Path, "raw")));
            insert = PrepareInsert(raw);
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            insert.Dispose();
            raw.Dispose();
            database.Dispose();
            folder.Dispose();
        }

        [Benchmark(Baseline = true)]
        public long RawInsert()
        {
            using var transaction = raw.BeginTransaction();
            insert.Transaction = transaction;
            insert.Parameters["$sequence"].Value = ++rawSequence;
            insert.Parameters["$timestamp"].Value = AuditTime.Format(DateTimeOffset.UtcNow);
            insert.ExecuteNonQuery();
            transaction.Commit();
            return rawSequence;
        }

        [Benchmark]
        public AuditRecord Append() => log.Append(EventType, details);

        /// <summary>A database with the module's schema, reopened as a plain connection with the module's PRAGMAs.</summary>
        private static SqliteConnection OpenRaw(DataHome home)
        {
            CtDatabase.Open(home).Dispose();
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = home.DatabasePath,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
                DefaultTimeout = 10,
            }.ToString());
            connection.Open();
            foreach (var pragma in new[] { "busy_timeout = 10000", "journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON" })
            {
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA " + pragma + ";";
                command.ExecuteNonQuery();
            }
            return connection;
        }

        private static SqliteCommand PrepareInsert(SqliteConnection connection)
        {
            var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO audit_log (sequence, timestamp, event_type, user_id, details, exchange, key_id, prev_mac, mac) " +
                "VALUES ($sequence, $timestamp, $event_type, $user_id, $details, $exchange, $key_id, $prev_mac, $mac);";
            command.Parameters.AddWithValue("$sequence", 0L);
            command.Parameters.AddWithValue("$timestamp", string.Empty);
            command.Parameters.AddWithValue("$event_type", EventType);
            command.Parameters.AddWithValue("$user_id", UserId);
            command.Parameters.AddWithValue("$details", Details);
            command.Parameters.AddWithValue("$exchange", "kraken");
            command.Parameters.AddWithValue("$key_id", "k0123456789abcdef");
            command.Parameters.AddWithValue("$prev_mac", SampleMac);
            command.Parameters.AddWithValue("$mac", SampleMac);
            return command;
        }
    }
}
