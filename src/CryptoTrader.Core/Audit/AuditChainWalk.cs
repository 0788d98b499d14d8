using System;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Audit
{
    /// <summary>One record as the walk met it, after its checks passed.</summary>
    internal readonly struct WalkedRecord
    {
        public WalkedRecord(long sequence, string timestamp, string eventType, string details, string mac)
        {
            Sequence = sequence;
            Timestamp = timestamp;
            EventType = eventType;
            Details = details;
            Mac = mac;
        }

        public long Sequence { get; }

        public string Timestamp { get; }

        public string EventType { get; }

        public string Details { get; }

        public string Mac { get; }
    }

    /// <summary>
    /// Reads the chain in sequence order from a known record and checks each record in its place: the next sequence
    /// number, linked to the MAC before it, sealed by a key in the ring, its MAC valid, its exchange column what its
    /// details say. Stops at the first record that fails.
    /// </summary>
    internal sealed class AuditChainWalk
    {
        private readonly AuditChain chain;

        public AuditChainWalk(AuditChain chain)
        {
            this.chain = chain;
        }

        /// <summary>The last record that passed (its sequence is 0 and its MAC empty before the first).</summary>
        public long LastSequence { get; private set; }

        public string LastMac { get; private set; } = string.Empty;

        /// <summary>Where the walk stopped, or null when every record passed.</summary>
        public long? ProblemSequence { get; private set; }

        public string? Problem { get; private set; }

        /// <summary>Walks every record after <paramref name="fromSequence"/> (whose MAC is <paramref name="fromMac"/>).</summary>
        /// <returns>False when a record failed (<see cref="Problem"/> says which and why).</returns>
        public bool Walk(SqliteConnection connection, SqliteTransaction? transaction, long fromSequence, string fromMac, Action<WalkedRecord> onRecord)
        {
            LastSequence = fromSequence;
            LastMac = fromMac;
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT sequence, timestamp, event_type, user_id, details, key_id, prev_mac, mac, exchange FROM audit_log " +
                "WHERE sequence > $from ORDER BY sequence;";
            command.Parameters.AddWithValue("$from", fromSequence);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var sequence = reader.GetInt64(0);
                var record = new WalkedRecord(sequence, reader.GetString(1), reader.GetString(2), reader.GetString(4), reader.GetString(7));
                var problem = Check(record, reader.GetString(3), reader.GetString(5), reader.GetString(6), reader.IsDBNull(8) ? null : reader.GetString(8));
                if (problem != null)
                {
                    ProblemSequence = Math.Min(sequence, LastSequence + 1);
                    Problem = problem;
                    return false;
                }
                onRecord(record);
                LastSequence = sequence;
                LastMac = record.Mac;
            }
            return true;
        }

        private string? Check(WalkedRecord record, string userId, string keyId, string previousMac, string? exchange)
        {
            var sequence = record.Sequence;
            if (sequence != LastSequence + 1)
            {
                return sequence > LastSequence + 1
                    ? $"record {LastSequence + 1} is missing (the next record is {sequence})"
                    : $"record {sequence} is out of order";
            }
            if (!string.Equals(previousMac, LastMac, StringComparison.Ordinal))
            {
                return $"record {sequence} does not link to the record before it";
            }
            if (!chain.CanVerify(keyId))
            {
                return $"record {sequence} was sealed with key {keyId}, which is not in the key ring";
            }
            if (!chain.MacEquals(record.Mac, sequence, record.Timestamp, record.EventType, userId, record.Details, keyId, previousMac))
            {
                return $"record {sequence} was changed after it was written (its MAC does not match)";
            }
            // The exchange column is not MAC'd; it must be exactly what the (MAC'd) details say.
            if (!string.Equals(AuditTransaction.ExchangeOf(record.Details), exchange, StringComparison.Ordinal))
            {
                return $"record {sequence} was changed after it was written (its exchange column does not match its details)";
            }
            return null;
        }
    }
}
