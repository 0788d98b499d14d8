using System;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Storage
{
    /// <summary>
    /// A write transaction on the module's connection that, when it ends without a commit, rolls back without hiding
    /// why it failed. After SQLITE_FULL or an I/O error SQLite has often rolled the transaction back itself; the
    /// plain <see cref="SqliteTransaction"/> then runs a second ROLLBACK, which throws "cannot rollback - no
    /// transaction is active" over the real error and again when the connection closes, leaving it open.
    /// </summary>
    internal sealed class CtTransaction : IDisposable
    {
        private readonly SqliteConnection connection;
        private bool committed;

        /// <param name="readOnly">A deferred transaction: a consistent snapshot for reading, without taking the write lock.</param>
        public CtTransaction(SqliteConnection connection, bool readOnly = false)
        {
            this.connection = connection;
            Inner = readOnly ? connection.BeginTransaction(deferred: true) : connection.BeginTransaction();
        }

        public SqliteTransaction Inner { get; }

        public static implicit operator SqliteTransaction(CtTransaction transaction) => transaction.Inner;

        public void Commit()
        {
            Inner.Commit();
            committed = true;
        }

        public void Dispose()
        {
            if (committed)
            {
                Inner.Dispose();
                return;
            }
            try
            {
                Inner.Dispose();
            }
            catch (SqliteException) when (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0)
            {
                // SQLite already rolled it back: nothing is left to undo. Open an empty transaction for the wrapper's
                // ROLLBACK, so that it completes and the connection can close; the caller's exception goes on unchanged.
                CtDatabase.Execute(connection, "BEGIN;", Inner);
                Inner.Dispose();
            }
        }
    }
}
