using System;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CryptoTrader.Core.Storage
{
    /// <summary>
    /// A statement run through SQLitePCL directly on the module's connection, inside whatever transaction it has
    /// open. For bulk work only: key rotation reads and binds thousands of tokens, and Test-CtAuditLog reads a million
    /// records, as UTF-8 spans, where Microsoft.Data.Sqlite would make a string of each value. Failures throw
    /// <see cref="SqliteException"/> as usual.
    /// </summary>
    internal sealed class RawStatement : IDisposable
    {
        private readonly sqlite3 database;
        private readonly sqlite3_stmt statement;
        private bool done;

        public RawStatement(SqliteConnection connection, string sql)
        {
            database = connection.Handle!;
            Check(raw.sqlite3_prepare_v2(database, sql, out statement));
        }

        /// <summary>Whether the connection is inside a transaction (SQLite's autocommit mode is off).</summary>
        public static bool InTransaction(SqliteConnection connection) => raw.sqlite3_get_autocommit(connection.Handle) == 0;

        public void Bind(int index, string value) => Check(raw.sqlite3_bind_text(statement, index, value));

        public void Bind(int index, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(statement, index, utf8));

        public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(statement, index, value));

        public void BindBlob(int index, ReadOnlySpan<byte> bytes) => Check(raw.sqlite3_bind_blob(statement, index, bytes));

        /// <summary>Runs the statement to its next row.</summary>
        /// <returns>True at a row; false when the statement is done (and from then on, until it is reset).</returns>
        public bool Step()
        {
            // A step after SQLITE_DONE would run the statement again from the start.
            if (done)
            {
                return false;
            }

            int result = raw.sqlite3_step(statement);
            if (result == raw.SQLITE_ROW)
            {
                return true;
            }

            if (result != raw.SQLITE_DONE)
            {
                Check(result);
            }

            done = true;
            return false;
        }

        /// <summary>Runs a statement that returns no rows and makes it ready to run again.</summary>
        /// <returns>How many rows it changed.</returns>
        public int Execute()
        {
            try
            {
                Step();
            }
            finally
            {
                raw.sqlite3_reset(statement);
                done = false;
            }

            return raw.sqlite3_changes(database);
        }

        public long Int64(int column) => raw.sqlite3_column_int64(statement, column);

        public bool IsNull(int column) => raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL;

        public string Text(int column) => raw.sqlite3_column_text(statement, column).utf8_to_string();

        /// <summary>A column's bytes: a blob as stored, text as UTF-8. Valid until the next step.</summary>
        public ReadOnlySpan<byte> Bytes(int column) => raw.sqlite3_column_blob(statement, column);

        public void Dispose() => statement.Dispose();

        private void Check(int result)
        {
            if (result != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(result, database);
            }
        }
    }
}
