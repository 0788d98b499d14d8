using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CryptoTrader.Core.Tests.Storage
{
    public sealed class CtDatabaseTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        private DataHome Home => DataHome.At(folder.Combine("home"));

        [Fact]
        public void Migration6_DropsTheKeyIdIndex()
        {
            using CtDatabase database = CtDatabase.Open(Home);

            Assert.Null(CtDatabase.Scalar(database.Connection, "SELECT name FROM sqlite_schema WHERE name = 'credentials_by_key';"));
            Assert.NotNull(CtDatabase.Scalar(database.Connection, "SELECT name FROM sqlite_schema WHERE name = 'credentials';"));
        }

        [UnixFact]
        public void Open_CreatesThePrivateFolderAndA0600DatabaseFile()
        {
            using CtDatabase database = CtDatabase.Open(Home);

            Assert.Equal(Home.DatabasePath, database.Path);
            Assert.True(File.Exists(database.Path));
            Assert.Equal(Platform.Octal("0700"), Platform.ModeOf(Home.Path));
            Assert.Equal(Platform.Octal("0600"), Platform.ModeOf(database.Path));
        }

        [UnixFact]
        public void WalAndSharedMemoryFiles_AreNotReadableByOthersEither()
        {
            using CtDatabase database = CtDatabase.Open(Home);
            new SettingsStore(database).Set(new System.Collections.Generic.Dictionary<string, string?> { ["vault"] = "v" });

            string[] companions = { database.Path + "-wal", database.Path + "-shm" };
            Assert.Contains(companions, File.Exists);
            foreach (string path in companions.Where(File.Exists))
            {
                Assert.False(FilePermissions.IsReadableByOthers(path), path + " is " + FilePermissions.Describe(path));
            }
        }

        [Fact]
        public void Open_UsesWalJournalFullSyncAndForeignKeys()
        {
            using CtDatabase database = CtDatabase.Open(Home);

            Assert.Equal("wal", CtDatabase.Scalar(database.Connection, "PRAGMA journal_mode;"));
            Assert.Equal(2L, CtDatabase.Scalar(database.Connection, "PRAGMA synchronous;"));
            Assert.Equal(1L, CtDatabase.Scalar(database.Connection, "PRAGMA foreign_keys;"));
        }

        [Fact]
        public void Open_MigratesToTheLatestSchema()
        {
            using CtDatabase database = CtDatabase.Open(Home);

            Assert.True(Migrations.LatestVersion >= 1);
            Assert.Equal(Migrations.LatestVersion, database.SchemaVersion);
            Assert.Equal(1L, CtDatabase.Scalar(database.Connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'settings';"));
        }

        [Fact]
        public void Open_GivesTheDatabaseA32HexDigitId_ThatSurvivesReopening()
        {
            string id;
            using (CtDatabase database = CtDatabase.Open(Home))
            {
                id = new SettingsStore(database).Get(SettingNames.DatabaseId)!;
            }

            Assert.Matches(new Regex("^[0-9a-f]{32}$"), id);
            using (CtDatabase reopened = CtDatabase.Open(Home))
            {
                Assert.Equal(id, new SettingsStore(reopened).Get(SettingNames.DatabaseId));
                Assert.Equal(Migrations.LatestVersion, reopened.SchemaVersion);
            }
        }

        [Fact]
        public void TwoDatabases_GetDifferentIds()
        {
            using var other = new TempFolder();
            using CtDatabase first = CtDatabase.Open(Home);
            using CtDatabase second = CtDatabase.Open(DataHome.At(other.Path));

            Assert.NotEqual(new SettingsStore(first).Get(SettingNames.DatabaseId), new SettingsStore(second).Get(SettingNames.DatabaseId));
        }

        [Fact]
        public async Task ConcurrentFirstOpens_AllSucceed_AndAgreeOnOneDatabase()
        {
            DataHome home = Home;
            using var start = new System.Threading.Barrier(8);
            Task<string?>[] opens = Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                using CtDatabase database = CtDatabase.Open(home);
                return new SettingsStore(database).Get(SettingNames.DatabaseId);
            }, TaskCreationOptions.LongRunning)).ToArray();

            string?[] ids = await Task.WhenAll(opens);

            Assert.Single(ids.Distinct());
            Assert.NotNull(ids[0]);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void GarbageFile_GivesDatabaseCorrupt_AndIsLeftUntouched(bool withSqliteHeader)
        {
            DataHome home = Home.EnsureCreated();
            byte[] garbage = SecureRandom.Bytes(8192);
            if (withSqliteHeader)
            {
                Encoding.ASCII.GetBytes("SQLite format 3\0").CopyTo(garbage, 0);
            }

            File.WriteAllBytes(home.DatabasePath, garbage);

            CtException error = Assert.Throws<CtException>(() => CtDatabase.Open(home));

            Assert.Equal(ErrorIds.DatabaseCorrupt, error.ErrorId);
            Assert.Equal(CtErrorKind.InvalidData, error.Kind);
            Assert.Contains(home.DatabasePath, error.Message);
            Assert.Equal(garbage, File.ReadAllBytes(home.DatabasePath));
            Assert.False(File.Exists(home.DatabasePath + "-journal"));
        }

        [Fact]
        public void NewerSchema_GivesDatabaseTooNew_AndTheVersionIsKept()
        {
            using (CtDatabase.Open(Home))
            {
            }

            int future = Migrations.LatestVersion + 5;
            using (SqliteConnection raw = OpenRaw(Home.DatabasePath))
            {
                CtDatabase.Execute(raw, $"PRAGMA user_version = {future};");
            }

            CtException error = Assert.Throws<CtException>(() => CtDatabase.Open(Home));

            Assert.Equal(ErrorIds.DatabaseTooNew, error.ErrorId);
            Assert.Contains(future.ToString(), error.Message);
            using (SqliteConnection raw = OpenRaw(Home.DatabasePath))
            {
                Assert.Equal((long)future, CtDatabase.Scalar(raw, "PRAGMA user_version;"));
            }
        }

        [Fact]
        public void AFolderWhereTheDatabaseFileShouldBe_GivesACtException()
        {
            // Works as root too: no permission bit is involved.
            DataHome home = Home.EnsureCreated();
            Directory.CreateDirectory(home.DatabasePath);

            CtException error = Assert.Throws<CtException>(() => CtDatabase.Open(home));

            // Anything but a regular file where one of the module's files should be is refused before SQLite sees it.
            Assert.Equal(ErrorIds.DataFolderInsecure, error.ErrorId);
            Assert.Contains($"'{home.DatabasePath}' is not a regular file", error.Message);
            Assert.True(Directory.Exists(home.DatabasePath));
        }

        [NotUnderMonoFact("Mono's stop-the-world GC signals every thread, which cuts SQLite's busy-wait sleeps short (usleep " +
            "returns early, and SQLite counts the whole step), so under Mono the wait ends before busy_timeout.")]
        public void ADatabaseLockedByAnotherConnection_GivesACtException_NotASqliteException()
        {
            // chmod does not stop root, so "cannot write" is produced with a lock another connection holds.
            DataHome home = Home.EnsureCreated();
            using SqliteConnection holder = OpenRaw(home.DatabasePath);
            CtDatabase.Execute(holder, "CREATE TABLE other (x INTEGER);");
            CtDatabase.Execute(holder, "PRAGMA locking_mode = EXCLUSIVE;");
            CtDatabase.Execute(holder, "BEGIN EXCLUSIVE;");
            CtDatabase.Execute(holder, "INSERT INTO other VALUES (1);");

            Stopwatch clock = Stopwatch.StartNew();
            CtException error = Assert.Throws<CtException>(() => CtDatabase.Open(home));

            Assert.Equal(ErrorIds.DatabaseUnavailable, error.ErrorId);
            Assert.Equal(CtErrorKind.ResourceUnavailable, error.Kind);
            Assert.IsType<SqliteException>(error.InnerException);
            // It waited the one documented busy timeout, not that twice over (it once did, as two statements each waited).
            Assert.InRange(clock.Elapsed.TotalMilliseconds, CtDatabase.BusyTimeoutMilliseconds * 0.95, CtDatabase.BusyTimeoutMilliseconds * 1.3);
            CtDatabase.Execute(holder, "COMMIT;");
        }

        [Fact]
        public void ReleasePooledConnections_ClosesTheFile_SoTheWalIsCheckpointedAndRemoved()
        {
            using (CtDatabase database = CtDatabase.Open(Home))
            {
                CtDatabase.Execute(database.Connection, "CREATE TABLE marker (v TEXT);");
            }
            CtDatabase.ReleasePooledConnections();

            Assert.False(File.Exists(Home.DatabasePath + "-wal"));
            using SqliteConnection raw = OpenRaw(Home.DatabasePath);
            Assert.Equal(0L, CtDatabase.Scalar(raw, "SELECT count(*) FROM marker;"));
        }

        internal static SqliteConnection OpenRaw(string path)
        {
            SqliteNative.EnsureInitialized();
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            return connection;
        }
    }
}
