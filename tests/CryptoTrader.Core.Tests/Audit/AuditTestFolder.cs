using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Tests.Audit
{
    /// <summary>
    /// A fresh data folder with a real SQLite database, a key ring, an audit log and a verifier;
    /// plus a raw "attacker" connection that can drop the append-only triggers and rewrite rows.
    /// </summary>
    internal sealed class AuditTestFolder : IDisposable
    {
        public AuditTestFolder(KeyRing? ring = null, string userId = "system", int? busyTimeoutMilliseconds = null)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ct-audit-" + Guid.NewGuid().ToString("N"));
            Home = DataHome.At(Path);
            Database = busyTimeoutMilliseconds.HasValue ? CtDatabase.Open(Home, busyTimeoutMilliseconds.Value) : CtDatabase.Open(Home);
            Ring = ring ?? KeyRing.CreateNew();
            Log = new AuditLog(Database, Home, Ring, userId);
        }

        public string Path { get; }

        public DataHome Home { get; }

        public CtDatabase Database { get; }

        public KeyRing Ring { get; }

        public AuditLog Log { get; }

        public string HeadFilePath => System.IO.Path.Combine(Path, AuditHeadFile.FileName);

        public AuditReader Reader => new AuditReader(Database);

        public AuditVerification Verify(string? expectedHead = null, bool detailed = false) => Verify(Ring, expectedHead, detailed);

        public AuditVerification Verify(KeyRing ring, string? expectedHead = null, bool detailed = false) =>
            new AuditVerifier(Database, Home, ring).Verify(expectedHead, detailed);

        /// <summary>Appends <paramref name="count"/> records, one transaction each, and returns them.</summary>
        public List<AuditRecord> AppendMany(int count, string eventType = AuditEventType.ConfigChanged)
        {
            var records = new List<AuditRecord>();
            for (var i = 1; i <= count; i++)
            {
                records.Add(Log.Append(eventType, new AuditDetails().Add("setting", "Setting" + i).Add("n", (long)i)));
            }
            return records;
        }

        public List<AuditRecord> ReadAll() => Reader.Read(new AuditQuery()).ToList();

        /// <summary>A second, independent connection to the database file (what someone with file access can open).</summary>
        public SqliteConnection OpenRaw()
        {
            SqliteNative.EnsureInitialized();
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Home.DatabasePath,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
            }.ToString());
            connection.Open();
            return connection;
        }

        /// <summary>Runs SQL as an attacker: first drops the append-only triggers (anyone with the file can).</summary>
        public void Tamper(string sql, params (string Name, object Value)[] parameters)
        {
            using var connection = OpenRaw();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; " + sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }
            command.ExecuteNonQuery();
        }

        public object? RawScalar(string sql)
        {
            using var connection = OpenRaw();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar();
        }

        public long RawCount() => Convert.ToInt64(RawScalar("SELECT count(*) FROM audit_log;"));

        public void Dispose()
        {
            Database.Dispose();
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>An in-memory key store, only for its Kind and Location in audit details.</summary>
    internal sealed class FakeKeyStore : IKeyStore
    {
        public FakeKeyStore(KeyRing? ring = null)
        {
            Stored = ring;
        }

        public KeyRing? Stored { get; private set; }

        public KeyStoreKind Kind => KeyStoreKind.File;

        public string Location => "/tmp/fake/keyring.key";

        public string CacheKey => "fake";

        public KeyRing? Load() => Stored;

        public void Save(KeyRing ring) => Stored = ring;

        public bool Delete()
        {
            var had = Stored != null;
            Stored = null;
            return had;
        }
    }
}
