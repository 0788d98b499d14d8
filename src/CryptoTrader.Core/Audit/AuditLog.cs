using System;
using System.Collections.Generic;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
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
        private readonly KeyRingProvider? keyRings;
        private AuditChain chain;

        /// <param name="keyRings">
        /// The key ring's store: read again when the log was sealed meanwhile with a key this ring lacks (another session
        /// rotated it), and where the rollback anchor is kept after a security-relevant record. Without it, such a log
        /// cannot be written to with this ring, and nothing is anchored.
        /// </param>
        public AuditLog(CtDatabase database, DataHome home, KeyRing ring, string userId, KeyRingProvider? keyRings = null)
        {
            this.database = database;
            chain = new AuditChain(ring);
            headFile = new AuditHeadFile(home);
            this.userId = userId;
            this.keyRings = keyRings;
        }

        public string UserId => userId;

        /// <summary>The key ring this log seals with (newer than the one it was made with after a reload).</summary>
        public KeyRing Ring => chain.Ring;

        /// <summary>Appends one record on its own.</summary>
        public AuditRecord Append(string eventType, AuditDetails details) =>
            Write(transaction => transaction.Append(eventType, details))[0];

        /// <summary>
        /// Runs <paramref name="work"/> (a change plus its audit records) in one durable transaction and returns the records.
        /// The head file stays locked from before the transaction until after it: the end of the log is checked against it
        /// first (a mismatch refuses the write), and it names the new end before the commit (as pending) and after it.
        /// </summary>
        public IReadOnlyList<AuditRecord> Write(Action<AuditTransaction> work)
        {
            for (var reloads = 0; ; reloads++)
            {
                IReadOnlyList<AuditRecord> appended;
                try
                {
                    appended = WriteUnderHead(work);
                }
                catch (KeyRingBehindException) when (keyRings != null && reloads < MaxReloads)
                {
                    // Another session sealed the log with a newer key. The ring is read again only once the head is
                    // released: a rotation holds the key-ring lock while it waits for the head.
                    chain = new AuditChain(keyRings.Reload());
                    continue;
                }
                // Likewise the anchor, which takes the key-ring lock.
                Anchor(appended);
                return appended;
            }
        }

        private IReadOnlyList<AuditRecord> WriteUnderHead(Action<AuditTransaction> work)
        {
            using var head = headFile.Lock(createIfMissing: IsEmpty());
            AuditTransaction audit;
            try
            {
                using var transaction = new CtTransaction(database.Connection);
                audit = new AuditTransaction(database, transaction, chain, userId, head.Current);
                work(audit);
                if (audit.Appended.Count > 0)
                {
                    audit.SaveFacts();
                    head.Write(AuditHead.Committing(audit.StartSequence, audit.StartMac, audit.LastSequence, audit.LastMac, chain));
                }
                transaction.Commit();
            }
            catch (SqliteException e)
            {
                throw new CtException(ErrorIds.AuditWriteFailed, CtErrorKind.WriteError,
                    $"The audit record could not be saved to '{database.Path}' ({e.Message}), so the operation was not performed. " +
                    "Check that the database is writable, the disk has space and no other process holds it locked, then retry.",
                    database.Path, e);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                throw new CtException(ErrorIds.AuditWriteFailed, CtErrorKind.WriteError,
                    $"The audit head file '{headFile.Path}' could not be written ({e.Message}), so the operation was not performed. " +
                    "Check that the data folder is writable and the disk has space, then retry.", headFile.Path, e);
            }
            if (audit.Appended.Count > 0)
            {
                ConfirmHead(head, audit);
            }
            return audit.Appended;
        }

        /// <summary>
        /// Runs <paramref name="read"/> on a consistent snapshot of the log whose end was checked as for a write
        /// (so a tampered log answers AuditLogTampered here too); nothing it appends is kept.
        /// </summary>
        public T Read<T>(Func<AuditTransaction, T> read)
        {
            for (var reloads = 0; ; reloads++)
            {
                using var transaction = new CtTransaction(database.Connection, readOnly: true);
                var head = headFile.ReadAtSnapshot(() => BeginSnapshot(database, transaction));
                AuditTransaction snapshot;
                try
                {
                    snapshot = new AuditTransaction(database, transaction, chain, userId, head);
                }
                catch (KeyRingBehindException) when (keyRings != null && reloads < MaxReloads)
                {
                    // Another session sealed the log with a newer key. The reloaded ring may anchor records committed after
                    // this snapshot (a rotation anchors its record), which would look like a rollback: take a new snapshot.
                    chain = new AuditChain(keyRings.Reload());
                    continue;
                }
                return read(snapshot);
            }
        }

        // Each reload brings the ring up to the store's; only rotations faster than a snapshot can be taken run out of these.
        private const int MaxReloads = 20;

        /// <summary>Refuses, as a write would, when the end of the log does not match its head and state (reads check it too).</summary>
        public void CheckEnd() => Read(_ => true);

        /// <summary>Starts the read snapshot of a deferred transaction (it begins at its first read).</summary>
        internal static void BeginSnapshot(CtDatabase database, CtTransaction transaction) =>
            CtDatabase.Scalar(database.Connection, "SELECT count(*) FROM sqlite_master;", transaction);

        private bool IsEmpty() => Convert.ToInt64(CtDatabase.Scalar(database.Connection, "SELECT EXISTS (SELECT 1 FROM audit_log);")) == 0;

        /// <summary>Keeps the newest security-relevant record as the rollback anchor with the key ring.</summary>
        internal void Anchor(IReadOnlyList<AuditRecord> records)
        {
            AuditRecord? relevant = null;
            foreach (var record in records)
            {
                if (AuditAnchor.IsSecurityRelevant(record))
                {
                    relevant = record;
                }
            }
            if (relevant is null || keyRings is null)
            {
                return;
            }
            try
            {
                keyRings.RecordAnchor(relevant);
            }
            catch (CtException)
            {
                // The change is committed; a store that cannot be written now leaves the anchor one change behind, and
                // the next security-relevant change moves it on.
            }
        }

        // The records are committed and the head names them as pending, which a later writer accepts; failing to
        // mark them committed loses nothing.
        private void ConfirmHead(AuditHeadFile.Locked head, AuditTransaction audit)
        {
            try
            {
                head.Write(AuditHead.Committed(audit.LastSequence, audit.LastMac, chain));
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
            }
        }
    }
}
