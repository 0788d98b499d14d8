using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Audit
{
    /// <summary>One record as the walk met it.</summary>
    internal readonly struct WalkedRecord
    {
        public WalkedRecord(long sequence, string timestamp, string eventType, string details, string mac, bool trusted)
        {
            Sequence = sequence;
            Timestamp = timestamp;
            EventType = eventType;
            Details = details;
            Mac = mac;
            Trusted = trusted;
        }

        public long Sequence { get; }

        public string Timestamp { get; }

        public string EventType { get; }

        public string Details { get; }

        public string Mac { get; }

        /// <summary>Its own MAC holds (its fields are what CryptoTrader wrote), whatever its place in the chain.</summary>
        public bool Trusted { get; }
    }

    /// <summary>
    /// Reads the chain in sequence order from a known record and checks each record in its place: the next sequence
    /// number, linked to the MAC before it, sealed by a key in the ring, its MAC valid, its exchange column what its
    /// details say. A problem a repair record acknowledged (<see cref="AuditRepairs"/>) is a finding, not a failure.
    /// </summary>
    internal sealed class AuditChainWalk
    {
        private readonly AuditChain chain;
        private readonly AuditRepairs repairs;
        private readonly List<AuditFinding> findings = new List<AuditFinding>();

        public AuditChainWalk(AuditChain chain, AuditRepairs? repairs = null)
        {
            this.chain = chain;
            this.repairs = repairs ?? AuditRepairs.None;
        }

        /// <summary>The last record walked (its sequence is 0 and its MAC empty before the first).</summary>
        public long LastSequence { get; private set; }

        public string LastMac { get; private set; } = string.Empty;

        /// <summary>Every problem met, repaired ones included.</summary>
        public IReadOnlyList<AuditFinding> Findings => findings;

        /// <summary>The first problem no repair acknowledged, or null.</summary>
        public AuditFinding? FirstUnrepaired => findings.Find(f => f.RepairedAt is null);

        public long? ProblemSequence => FirstUnrepaired?.Sequence;

        public string? Problem => FirstUnrepaired?.Problem;

        /// <summary>Walks every record after <paramref name="fromSequence"/> (whose MAC is <paramref name="fromMac"/>).</summary>
        /// <param name="throughProblems">Go on past unrepaired problems (to list them all, or to repair them).</param>
        /// <returns>False when a problem no repair acknowledged was met.</returns>
        public bool Walk(SqliteConnection connection, SqliteTransaction? transaction, long fromSequence, string fromMac, Action<WalkedRecord> onRecord,
            bool throughProblems = false)
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
                var timestamp = reader.GetString(1);
                var eventType = reader.GetString(2);
                var details = reader.GetString(4);
                var keyId = reader.GetString(5);
                var previousMac = reader.GetString(6);
                var mac = reader.GetString(7);
                var before = findings.Count;
                if (sequence <= LastSequence)
                {
                    Add(sequence, "OutOfOrder", $"record {sequence} is out of order", mac);
                    if (!Continue(before, throughProblems))
                    {
                        return false;
                    }
                    continue;
                }
                if (sequence > LastSequence + 1)
                {
                    Add(LastSequence + 1, "Missing", $"record {LastSequence + 1} is missing (the next record is {sequence})", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                else if (!string.Equals(previousMac, LastMac, StringComparison.Ordinal))
                {
                    Add(sequence, "Unlinked", $"record {sequence} does not link to the record before it", previousMac);
                }
                var trusted = CheckContent(sequence, timestamp, eventType, reader.GetString(3), details, keyId, previousMac, mac, reader.IsDBNull(8) ? null : reader.GetString(8));
                if (!Continue(before, throughProblems))
                {
                    return false;
                }
                onRecord(new WalkedRecord(sequence, timestamp, eventType, details, mac, trusted));
                LastSequence = sequence;
                LastMac = mac;
            }
            return FirstUnrepaired is null;
        }

        private bool CheckContent(long sequence, string timestamp, string eventType, string userId, string details, string keyId, string previousMac, string mac, string? exchange)
        {
            if (!chain.CanVerify(keyId))
            {
                Add(sequence, "UnknownKey", $"record {sequence} was sealed with key {keyId}, which is not in the key ring", mac);
                return false;
            }
            if (!chain.MacEquals(mac, sequence, timestamp, eventType, userId, details, keyId, previousMac))
            {
                Add(sequence, "Changed", $"record {sequence} was changed after it was written (its MAC does not match)", mac);
                return false;
            }
            // The exchange column is not MAC'd; it must be exactly what the (MAC'd) details say.
            if (!string.Equals(AuditTransaction.ExchangeOf(details), exchange, StringComparison.Ordinal))
            {
                Add(sequence, "Changed", $"record {sequence} was changed after it was written (its exchange column does not match its details)", mac + " exchange");
            }
            return true;
        }

        private void Add(long sequence, string kind, string problem, string evidence)
        {
            var finding = new AuditFinding(sequence, kind, problem, kind + ":" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + evidence);
            finding.RepairedAt = repairs.Acknowledging(finding.Key);
            findings.Add(finding);
        }

        // Whether the walk goes on after the findings this record added.
        private bool Continue(int findingsBefore, bool throughProblems)
        {
            for (var i = findingsBefore; i < findings.Count; i++)
            {
                if (findings[i].RepairedAt is null && !throughProblems)
                {
                    return false;
                }
            }
            return true;
        }
    }
}
