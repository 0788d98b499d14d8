using System;
using System.Collections.Generic;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// Writes audit records. Every change goes through <see cref="Write"/>: the change and its records
    /// commit in one SQLite transaction, so if a record cannot be persisted the change does not happen.
    /// </summary>
    public sealed class AuditLog
    {
        private readonly CtDatabase database;
        private readonly AuditHeadFile headFile;
        private readonly string userId;
        private readonly Func<KeyRing>? reloadRing;
        private AuditChain chain;

        /// <param name="reloadRing">
        /// Reads the key ring from its store again, for when the log was sealed meanwhile with a key this ring lacks
        /// (another session rotated it). Without it, such a log cannot be written to with this ring.
        /// </param>
        public AuditLog(CtDatabase database, DataHome home, KeyRing ring, string userId, Func<KeyRing>? reloadRing = null)
        {
            this.database = database;
            chain = new AuditChain(ring);
            headFile = new AuditHeadFile(home);
            this.userId = userId;
            this.reloadRing = reloadRing;
        }

        public string UserId => userId;

        /// <summary>The key ring this log seals with (newer than the one it was made with after a reload).</summary>
        public KeyRing Ring => chain.Ring;

        /// <summary>Appends one record on its own.</summary>
        public AuditRecord Append(string eventType, AuditDetails details) =>
            Write(transaction => transaction.Append(eventType, details))[0];

        /// <summary>Runs <paramref name="work"/> (a change plus its audit records) in one durable transaction and returns the records.</summary>
        public IReadOnlyList<AuditRecord> Write(Action<AuditTransaction> work)
        {
            IReadOnlyList<AuditRecord> records;
            try
            {
                using var transaction = new CtTransaction(database.Connection);
                var audit = Begin(transaction);
                work(audit);
                if (audit.Appended.Count > 0)
                {
                    audit.SaveFacts();
                }
                transaction.Commit();
                records = audit.Appended;
            }
            catch (SqliteException e)
            {
                throw new CtException(ErrorIds.AuditWriteFailed, CtErrorKind.WriteError,
                    $"The audit record could not be saved to '{database.Path}' ({e.Message}), so the operation was not performed. " +
                    "Check that the database is writable, the disk has space and no other process holds it locked, then retry.",
                    database.Path, e);
            }
            if (records.Count > 0)
            {
                AdvanceHead(records[records.Count - 1]);
            }
            return records;
        }

        /// <summary>
        /// Runs <paramref name="read"/> on a consistent snapshot of the log whose facts were checked as for a write
        /// (so a tampered log answers AuditLogTampered here too); nothing it appends is kept.
        /// </summary>
        public T Read<T>(Func<AuditTransaction, T> read)
        {
            using var transaction = new CtTransaction(database.Connection, readOnly: true);
            return read(Begin(transaction));
        }

        private AuditTransaction Begin(CtTransaction transaction)
        {
            try
            {
                return new AuditTransaction(database, transaction, chain, userId);
            }
            catch (KeyRingBehindException) when (reloadRing != null)
            {
                chain = new AuditChain(reloadRing());
                return new AuditTransaction(database, transaction, chain, userId);
            }
        }

        private void AdvanceHead(AuditRecord last)
        {
            try
            {
                headFile.Advance(last.Sequence, last.ChainHash, chain);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                // The records are committed; the head file only guards against truncation and may lag.
                // Test-CtAuditLog reports a head that is behind the log as valid, one that is ahead as truncation.
            }
        }
    }
}
