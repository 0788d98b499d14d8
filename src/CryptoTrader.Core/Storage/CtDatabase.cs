using System;
using System.Collections.Generic;
using CryptoTrader.Core.Errors;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Storage
{
    /// <summary>
    /// The module's one SQLite database: created private (0600), WAL mode, full fsync,
    /// schema migrated on open. A damaged file is reported, never recreated. Connections are pooled:
    /// disposing returns the connection to the pool, and the file stays open until <see cref="ReleasePooledConnections"/>.
    /// </summary>
    public sealed class CtDatabase : IDisposable
    {
        /// <summary>How long a command waits for another process's lock on the database before it fails.</summary>
        public const int BusyTimeoutMilliseconds = 10_000;

        // Compiling a statement costs more than running a small one; hot statements are compiled once per connection.
        private readonly Dictionary<string, SqliteCommand> preparedStatements = new Dictionary<string, SqliteCommand>(StringComparer.Ordinal);

        private CtDatabase(DataHome home, SqliteConnection connection)
        {
            Home = home;
            Path = home.DatabasePath;
            Connection = connection;
        }

        /// <summary>The data folder the database is in (with the head file and the key file beside it).</summary>
        public DataHome Home { get; }

        public string Path { get; }

        internal SqliteConnection Connection { get; }

        public static CtDatabase Open(DataHome home) => Open(home, BusyTimeoutMilliseconds);

        /// <summary>For tests: a shorter wait for another connection's lock than the product's 10 s.</summary>
        internal static CtDatabase Open(DataHome home, int busyTimeoutMilliseconds)
        {
            SqliteNative.EnsureInitialized();
            home.EnsureCreated();
            var path = home.DatabasePath;
            SqliteConnection? connection = null;
            try
            {
                // EnsureCreated refused a link or another user's file at the database, -wal and -shm paths and made them
                // 0600; SQLite opens them by path itself (see docs/architecture/security.md on what that leaves).
                RefuseLostDatabase(home, path);
                PrivateFile.CreateNew(path);
                var builder = new SqliteConnectionStringBuilder
                {
                    DataSource = path,
                    Mode = SqliteOpenMode.ReadWrite,
                    // A cmdlet call reuses an open connection instead of opening the file, setting up the WAL index and
                    // checkpointing on close each time: most of a short command's cost. See ReleasePooledConnections.
                    Pooling = true,
                    // The one wait for a lock is SQLite's busy_timeout (below). Microsoft.Data.Sqlite retries a busy
                    // statement for this many seconds on top of it: the least it allows (0 would mean forever).
                    DefaultTimeout = 1,
                };
                connection = new SqliteConnection(builder.ToString());
                connection.Open();
                if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
                {
                    // SQLite falls back to read-only when the file cannot be opened for writing; such a connection
                    // must not stay pooled, or the session would keep failing writes after the file is writable again.
                    SqliteConnection.ClearPool(connection);
                }
                Execute(connection, $"PRAGMA busy_timeout = {busyTimeoutMilliseconds};");
                // On its own: inside a batch of statements, a journal_mode that timed out on a lock was not reported,
                // and the next statement waited the whole busy timeout again.
                Scalar(connection, "PRAGMA journal_mode = WAL;");
                Execute(connection, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
                Migrate(connection, path);
                return new CtDatabase(home, connection);
            }
            catch (SqliteException e)
            {
                connection?.Dispose();
                throw Translate(e, path);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                connection?.Dispose();
                throw new CtException(ErrorIds.DatabaseUnavailable, CtErrorKind.ResourceUnavailable,
                    $"The database '{path}' cannot be opened: {e.Message}", path, e);
            }
            catch
            {
                connection?.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Closes the connections this process keeps in its pool, which checkpoints the WAL into the database file.
        /// The module calls it when it is removed, and after a command failed on its storage (<see cref="IsStorageFailure"/>),
        /// so that a connection which met a damaged or vanished file is not reused; the process exit closes them too.
        /// </summary>
        public static void ReleasePooledConnections()
        {
            SqliteConnection.ClearAllPools();
        }

        /// <summary>Errors that say the database file or folder failed, rather than the request.</summary>
        public static bool IsStorageFailure(string errorId) =>
            errorId == ErrorIds.DatabaseUnavailable || errorId == ErrorIds.DatabaseCorrupt || errorId == ErrorIds.DatabaseMissing
            || errorId == ErrorIds.DataFolderUnavailable || errorId == ErrorIds.DataFolderInsecure || errorId == ErrorIds.AuditWriteFailed;

        public int SchemaVersion => Convert.ToInt32(Scalar(Connection, "PRAGMA user_version;"));

        internal static CtException Translate(SqliteException e, string path)
        {
            // 26 = SQLITE_NOTADB, 11 = SQLITE_CORRUPT: the file is damaged; never overwrite it.
            if (e.SqliteErrorCode == 26 || e.SqliteErrorCode == 11)
            {
                return new CtException(ErrorIds.DatabaseCorrupt, CtErrorKind.InvalidData,
                    $"The database '{path}' is damaged ({e.Message}). Restore it from a backup; CryptoTrader will not replace it.", path, e);
            }
            return new CtException(ErrorIds.DatabaseUnavailable, CtErrorKind.ResourceUnavailable,
                $"The database '{path}' is not usable: {e.Message}", path, e);
        }

        /// <summary>
        /// The command for <paramref name="sql"/> with the named parameters, compiled on first use and kept until the
        /// database is disposed. The caller sets its transaction and every parameter value before each execution.
        /// </summary>
        internal SqliteCommand Prepared(string sql, params string[] parameterNames)
        {
            if (!preparedStatements.TryGetValue(sql, out var command))
            {
                command = Connection.CreateCommand();
                command.CommandText = sql;
                foreach (var name in parameterNames)
                {
                    command.Parameters.Add(new SqliteParameter { ParameterName = name });
                }
                preparedStatements.Add(sql, command);
            }
            return command;
        }

        public void Dispose()
        {
            foreach (var command in preparedStatements.Values)
            {
                command.Dispose();
            }
            preparedStatements.Clear();
            Connection.Dispose();
        }

        // An empty or missing database file would be a new, empty database to SQLite. If audit.head (kept outside the
        // database) says the log had records, the database was truncated or deleted: never start a new one over it.
        // Only an empty or missing file reads audit.head, so ordinary opens never touch it (writers hold it exclusively).
        private static void RefuseLostDatabase(DataHome home, string path)
        {
            var exists = System.IO.File.Exists(path);
            if (exists && new System.IO.FileInfo(path).Length > 0)
            {
                return;
            }
            var head = new Audit.AuditHeadFile(home).Read();
            if (head is null || head.Sequence < 1)
            {
                return;
            }
            var records = head.Sequence == 1 ? "1 audit record" : $"{head.Sequence} audit records";
            if (exists)
            {
                throw new CtException(ErrorIds.DatabaseCorrupt, CtErrorKind.InvalidData,
                    $"The database '{path}' is empty, but {home.AuditHeadPath} shows it held {records}: it was truncated. Restore it from a backup; CryptoTrader will not replace it.", path);
            }
            throw new CtException(ErrorIds.DatabaseMissing, CtErrorKind.NotFound,
                $"The database '{path}' is missing, but {home.AuditHeadPath} shows it held {records}: it was deleted or moved. Restore it from a backup; CryptoTrader will not create a new one over it. " +
                "To start again with an empty database on purpose, use a new data folder.", path);
        }

        private static void Migrate(SqliteConnection connection, string path)
        {
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"));
            if (version > Migrations.LatestVersion)
            {
                throw new CtException(ErrorIds.DatabaseTooNew, CtErrorKind.InvalidData,
                    $"The database '{path}' has schema version {version}, newer than this module understands ({Migrations.LatestVersion}). Update the CryptoTrader module.", path);
            }
            if (version < Migrations.LatestVersion)
            {
                Migrations.DefineFunctions(connection);
            }
            while (version < Migrations.LatestVersion)
            {
                using var transaction = new CtTransaction(connection);
                // Re-read inside the write lock: another process may have migrated meanwhile.
                version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;", transaction));
                if (version < Migrations.LatestVersion)
                {
                    Execute(connection, Migrations.Steps[version], transaction);
                    Execute(connection, $"PRAGMA user_version = {version + 1};", transaction);
                }
                transaction.Commit();
                version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"));
            }
        }

        internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            command.ExecuteNonQuery();
        }

        internal static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            return command.ExecuteScalar();
        }
    }
}
