using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// The Repair-CtAuditLog records in the log (ERROR records with action audit_log_repaired whose own MAC holds) and
    /// the exact observations each acknowledged: a later walk reports those as repaired findings instead of failing.
    /// A repair record edited or hidden fails its own MAC, and what it acknowledged fails the walk again.
    /// </summary>
    internal sealed class AuditRepairs
    {
        public const string Action = "audit_log_repaired";
        public static readonly AuditRepairs None = new AuditRepairs(new Dictionary<string, long>(), new List<AuditRecord>());

        private readonly Dictionary<string, long> acknowledged;

        private AuditRepairs(Dictionary<string, long> acknowledged, List<AuditRecord> records)
        {
            this.acknowledged = acknowledged;
            Records = records;
        }

        /// <summary>The repair records, oldest first.</summary>
        public IReadOnlyList<AuditRecord> Records { get; }

        public static AuditRepairs Load(SqliteConnection connection, SqliteTransaction? transaction, AuditChain chain)
        {
            var acknowledged = new Dictionary<string, long>(StringComparer.Ordinal);
            var records = new List<AuditRecord>();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT sequence, timestamp, event_type, user_id, details, key_id, prev_mac, mac FROM audit_log " +
                "WHERE event_type = 'ERROR' AND json_valid(details) AND json_extract(details, '$.action') = $action ORDER BY sequence;";
            command.Parameters.AddWithValue("$action", Action);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var record = AuditReader.ToRecord(reader);
                if (!chain.CanVerify(record.KeyId) || !chain.Seals(record))
                {
                    continue;
                }
                records.Add(record);
                foreach (var key in (record.Details["acknowledged"] as string ?? string.Empty).Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    acknowledged[key] = record.Sequence;
                }
            }
            return new AuditRepairs(acknowledged, records);
        }

        /// <summary>The repair record that acknowledged this exact observation, or null.</summary>
        public long? Acknowledging(string key) => acknowledged.TryGetValue(key, out var sequence) ? sequence : (long?)null;
    }
}
