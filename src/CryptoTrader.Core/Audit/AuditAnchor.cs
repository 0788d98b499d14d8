using System.Globalization;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// The rollback anchor: the newest security-relevant record (a key, permission or key ring change, a repair), kept
    /// with the key ring in its store (<see cref="KeyRing.AuditAnchor"/>), outside the data folder for every store but
    /// the key file. A database whose log no longer holds that record was put back from before it.
    /// </summary>
    internal static class AuditAnchor
    {
        public static bool IsSecurityRelevant(AuditRecord record) =>
            record.EventType == AuditEventType.ApiKeyChanged
            || record.EventType == AuditEventType.PermissionChanged
            || record.EventType == AuditEventType.EncryptionKeyCreated
            || record.EventType == AuditEventType.EncryptionKeyRotated
            || (record.EventType == AuditEventType.Error && Equals(record.Details["action"], AuditRepairs.Action));

        public static string Of(AuditRecord record) => record.Sequence.ToString(CultureInfo.InvariantCulture) + ":" + record.ChainHash;

        public static long SequenceOf(string? anchor) =>
            anchor is null ? 0 : long.Parse(anchor.Substring(0, anchor.IndexOf(':')), NumberStyles.None, CultureInfo.InvariantCulture);

        /// <summary>Why this log is older than the ring's anchor, or null when it holds the anchored record.</summary>
        public static string? Problem(SqliteConnection connection, SqliteTransaction? transaction, KeyRing ring, long lastSequence)
        {
            var anchor = ring.AuditAnchor;
            if (anchor is null)
            {
                return null;
            }
            var sequence = SequenceOf(anchor);
            var mac = anchor.Substring(anchor.IndexOf(':') + 1);
            if (sequence > lastSequence)
            {
                return $"the key ring last saw record {sequence}, but the log ends at record {lastSequence}: the database was put back from earlier";
            }
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT mac FROM audit_log WHERE sequence = $sequence;";
            command.Parameters.AddWithValue("$sequence", sequence);
            var stored = command.ExecuteScalar() as string;
            return AuditChain.HexEquals(stored, mac) ? null : $"record {sequence} is not the record the key ring last saw: the database was replaced";
        }

        public static CtException RolledBack(string why) => new CtException(ErrorIds.AuditLogRolledBack, CtErrorKind.SecurityError,
            $"This database is older than its key ring ({why}), so nothing was written or sent. Restore the newest copy of the data folder; " +
            "if this older one is all there is, Repair-CtAuditLog records the rollback and lets the log go on.", "audit_log");
    }
}
