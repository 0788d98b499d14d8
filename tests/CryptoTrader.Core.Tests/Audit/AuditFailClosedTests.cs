using System;
using System.IO;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    /// <summary>
    /// Invariant 4: a change and its audit record commit together; if the record cannot be written the change
    /// does not happen. Also the append-only triggers of migration 2.
    /// </summary>
    public class AuditFailClosedTests
    {
        private const string Setting = "test_setting";

        [Fact]
        public void ConfigChange_WritesTheSettingAndItsRecordTogether()
        {
            using var folder = new AuditTestFolder();
            var settings = new SettingsStore(folder.Database);

            var records = Change(folder, settings, null, "1");

            Assert.Equal("1", settings.Get(Setting));
            var record = Assert.Single(records);
            Assert.Equal(AuditEventType.ConfigChanged, record.EventType);
            Assert.Equal("{\"setting\":\"TestSetting\",\"old_value\":null,\"new_value\":\"1\"}", record.DetailsJson);
            Assert.Equal(1, folder.RawCount());
        }

        [Fact]
        public void LockedDatabase_ChangeFailsWithAuditWriteFailedAndNothingIsWritten()
        {
            using var folder = new AuditTestFolder(busyTimeoutMilliseconds: 200);
            var settings = new SettingsStore(folder.Database);
            Change(folder, settings, null, "1");
            var headBefore = File.ReadAllText(folder.HeadFilePath);

            using (var holder = folder.OpenRaw())
            {
                Execute(holder, "BEGIN EXCLUSIVE;");

                var error = Assert.Throws<CtException>(() => Change(folder, settings, "1", "2"));
                Assert.Equal(ErrorIds.AuditWriteFailed, error.ErrorId);
                Assert.IsType<SqliteException>(error.InnerException);

                var appendError = Assert.Throws<CtException>(() => folder.Log.Append(AuditEventType.Error, new AuditDetails()));
                Assert.Equal(ErrorIds.AuditWriteFailed, appendError.ErrorId);

                Execute(holder, "ROLLBACK;");
            }

            Assert.Equal("1", settings.Get(Setting));
            Assert.Equal(1, folder.RawCount());
            Assert.Equal(headBefore, File.ReadAllText(folder.HeadFilePath));
            Assert.True(folder.Verify().IsValid);

            // Once the lock is gone the same change goes through, as record 2.
            var retried = Change(folder, settings, "1", "2");
            Assert.Equal(2, retried[0].Sequence);
            Assert.Equal("2", settings.Get(Setting));
        }

        [Fact]
        public void ExceptionInTheWorkAfterAnAppend_RollsBackTheChangeAndTheRecord()
        {
            using var folder = new AuditTestFolder();
            var settings = new SettingsStore(folder.Database);
            Change(folder, settings, null, "1");
            var headBefore = File.ReadAllText(folder.HeadFilePath);

            var error = Assert.Throws<InvalidOperationException>(() => folder.Log.Write(t =>
            {
                settings.Set(t, new System.Collections.Generic.Dictionary<string, string?> { [Setting] = "2" });
                t.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "TestSetting"));
                throw new InvalidOperationException("the exchange refused");
            }));
            Assert.Equal("the exchange refused", error.Message);

            Assert.Equal("1", settings.Get(Setting));
            Assert.Equal(1, folder.RawCount());
            Assert.Equal(headBefore, File.ReadAllText(folder.HeadFilePath));
            Assert.True(folder.Verify().IsValid);
            Assert.Equal(2, folder.Log.Append(AuditEventType.Error, new AuditDetails()).Sequence);
        }

        [Fact]
        public void AuditInsertRefused_TheChangeIsRolledBack()
        {
            // The settings write itself would succeed; only the audit row is refused. The change must not happen.
            using var folder = new AuditTestFolder();
            var settings = new SettingsStore(folder.Database);
            Change(folder, settings, null, "1");
            folder.Tamper("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk says no'); END;");

            var error = Assert.Throws<CtException>(() => Change(folder, settings, "1", "2"));

            Assert.Equal(ErrorIds.AuditWriteFailed, error.ErrorId);
            Assert.Equal("1", settings.Get(Setting));
            Assert.Equal(1, folder.RawCount());
        }

        [Fact]
        public void ReadOnlyDatabase_ChangeFailsWithAuditWriteFailed()
        {
            // The tests run as root, for whom file modes do not stop writes. PRAGMA query_only makes SQLite itself
            // refuse every write on the module's own connection, which is what a read-only database does.
            using var folder = new AuditTestFolder();
            var settings = new SettingsStore(folder.Database);
            Change(folder, settings, null, "1");
            CtDatabase.Execute(folder.Database.Connection, "PRAGMA query_only = ON;");

            var error = Assert.Throws<CtException>(() => Change(folder, settings, "1", "2"));

            Assert.Equal(ErrorIds.AuditWriteFailed, error.ErrorId);
            Assert.Contains(folder.Database.Path, error.Message);
            Assert.Equal("1", settings.Get(Setting));
            Assert.Equal(1, folder.RawCount());
            Assert.True(folder.Verify().IsValid);
        }

        [Fact]
        public void Triggers_RefuseUpdateThroughTheModulesConnection()
        {
            using var folder = new AuditTestFolder();
            var record = folder.AppendMany(3)[1];

            var error = Assert.Throws<SqliteException>(() =>
                CtDatabase.Execute(folder.Database.Connection, "UPDATE audit_log SET user_id = 'mallory' WHERE sequence = 2;"));

            Assert.Contains("append-only", error.Message);
            Assert.Equal(record.UserId, folder.RawScalar("SELECT user_id FROM audit_log WHERE sequence = 2;"));
            Assert.True(folder.Verify().IsValid);
        }

        [Fact]
        public void Triggers_RefuseDeleteThroughTheModulesConnection()
        {
            using var folder = new AuditTestFolder();
            folder.AppendMany(3);

            var error = Assert.Throws<SqliteException>(() =>
                CtDatabase.Execute(folder.Database.Connection, "DELETE FROM audit_log WHERE sequence = 3;"));

            Assert.Contains("append-only", error.Message);
            Assert.Equal(3, folder.RawCount());
            Assert.True(folder.Verify().IsValid);
        }

        private static System.Collections.Generic.IReadOnlyList<CryptoTrader.AuditRecord> Change(AuditTestFolder folder, SettingsStore settings, string? oldValue, string newValue) =>
            ConfigChanges.Apply(folder.Log, settings, new[] { new SettingChange("TestSetting", Setting, oldValue, newValue) });

        private static void Execute(SqliteConnection connection, string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}
