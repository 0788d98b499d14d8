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
        private readonly AuditChain chain;
        private readonly AuditHeadFile headFile;
        private readonly string userId;

        public AuditLog(CtDatabase database, DataHome home, KeyRing ring, string userId)
        {
            this.database = database;
            chain = new AuditChain(ring);
            headFile = new AuditHeadFile(home);
            this.userId = userId;
        }

        public string UserId => userId;

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
                var audit = new AuditTransaction(database, transaction, chain, userId);
                work(audit);
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
