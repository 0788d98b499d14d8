using System;
using System.Collections.Generic;
using System.Text.Json;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// A write transaction that carries a change and the audit records describing it: they commit together
    /// or not at all. Records are chained in the order they are appended.
    /// </summary>
    public sealed class AuditTransaction
    {
        private readonly AuditChain chain;
        private readonly string userId;
        private readonly List<AuditRecord> appended = new List<AuditRecord>();
        private long lastSequence;
        private string lastMac;
        private readonly CtDatabase database;

        private const string InsertSql =
            "INSERT INTO audit_log (sequence, timestamp, event_type, user_id, details, exchange, key_id, prev_mac, mac) " +
            "VALUES ($sequence, $timestamp, $event_type, $user_id, $details, $exchange, $key_id, $prev_mac, $mac);";

        private static readonly string[] InsertParameters =
            { "$sequence", "$timestamp", "$event_type", "$user_id", "$details", "$exchange", "$key_id", "$prev_mac", "$mac" };

        private const string LastRecordSql = "SELECT sequence, timestamp, event_type, user_id, details, key_id, prev_mac, mac FROM audit_log ORDER BY sequence DESC LIMIT 1;";

        /// <summary>
        /// Begins on a log whose end is checked first: its last record's MAC, the head kept outside the database
        /// (<paramref name="head"/>, null when missing or damaged) and the audit state must all name the same record.
        /// </summary>
        /// <exception cref="Errors.CtException">AuditLogTampered: they do not; nothing may be written.</exception>
        /// <exception cref="KeyRingBehindException">The log was sealed with a key this ring lacks (reload the ring).</exception>
        internal AuditTransaction(CtDatabase database, SqliteTransaction transaction, AuditChain chain, string userId, AuditHead? head)
        {
            this.database = database;
            Connection = database.Connection;
            Transaction = transaction;
            this.chain = chain;
            this.userId = userId;
            var last = ReadLastRecord();
            (lastSequence, lastMac) = last is null ? (0L, string.Empty) : (last.Sequence, last.ChainHash);
            StartSequence = lastSequence;
            StartMac = lastMac;
            var rolledBack = AuditAnchor.Problem(Connection, Transaction, chain.Ring, lastSequence);
            if (rolledBack != null)
            {
                throw AuditAnchor.RolledBack(rolledBack);
            }
            CheckEnd(last, head);
            Facts = AuditStateStore.Load(Connection, Transaction, chain, lastSequence, lastMac);
        }

        /// <summary>A transaction on the log as it is, its end unchecked, with facts the caller folded (Repair-CtAuditLog only).</summary>
        private AuditTransaction(CtDatabase database, SqliteTransaction transaction, AuditChain chain, string userId, long lastSequence, string lastMac, AuditFacts facts)
        {
            this.database = database;
            Connection = database.Connection;
            Transaction = transaction;
            this.chain = chain;
            this.userId = userId;
            this.lastSequence = lastSequence;
            this.lastMac = lastMac;
            StartSequence = lastSequence;
            StartMac = lastMac;
            Facts = facts;
        }

        internal static AuditTransaction ForRepair(CtDatabase database, SqliteTransaction transaction, AuditChain chain, string userId, long lastSequence, string lastMac, AuditFacts facts) =>
            new AuditTransaction(database, transaction, chain, userId, lastSequence, lastMac, facts);

        /// <summary>The last record before this transaction appended anything (0 and empty for an empty log).</summary>
        internal long StartSequence { get; }

        internal string StartMac { get; }

        /// <summary>The last record now, with what this transaction appended.</summary>
        internal long LastSequence => lastSequence;

        internal string LastMac => lastMac;

        internal SqliteConnection Connection { get; }

        /// <summary>The key ring that checked this log's state and seals its records.</summary>
        internal KeyRing Ring => chain.Ring;

        internal SqliteTransaction Transaction { get; }

        internal IReadOnlyList<AuditRecord> Appended => appended;

        /// <summary>What the gate decides on, current at the last record appended so far (checked when the transaction began).</summary>
        internal AuditFacts Facts { get; }

        /// <summary>Keeps the facts at the new end of the log, in this transaction (before it commits).</summary>
        internal void SaveFacts() => AuditStateStore.Save(Connection, Transaction, chain, Facts);

        /// <summary>Appends one record; <paramref name="exchange"/> is indexed for Get-CtAuditLog -Exchange.</summary>
        public AuditRecord Append(string eventType, AuditDetails details, DateTimeOffset? at = null)
        {
            var sequence = lastSequence + 1;
            var timestamp = AuditTime.Format(at ?? DateTimeOffset.UtcNow);
            var detailsJson = details.ToJson();
            var exchange = ExchangeOf(details);
            var keyId = chain.SigningKeyId;
            var mac = chain.Mac(sequence, timestamp, eventType, userId, detailsJson, keyId, lastMac);
            var command = database.Prepared(InsertSql, InsertParameters);
            command.Transaction = Transaction;
            command.Parameters[0].Value = sequence;
            command.Parameters[1].Value = timestamp;
            command.Parameters[2].Value = eventType;
            command.Parameters[3].Value = userId;
            command.Parameters[4].Value = detailsJson;
            command.Parameters[5].Value = (object?)exchange ?? DBNull.Value;
            command.Parameters[6].Value = keyId;
            command.Parameters[7].Value = lastMac;
            command.Parameters[8].Value = mac;
            command.ExecuteNonQuery();
            var record = new AuditRecord(sequence, timestamp, eventType, userId, detailsJson, keyId, lastMac, mac);
            appended.Add(record);
            Facts.Apply(sequence, timestamp, eventType, detailsJson, mac);
            lastSequence = sequence;
            lastMac = mac;
            return record;
        }

        /// <summary>What the exchange column holds: the first "exchange" detail that is text, else null.</summary>
        internal static string? ExchangeOf(AuditDetails details)
        {
            foreach (var pair in details.Values)
            {
                if (pair.Key == "exchange" && pair.Value is string exchange)
                {
                    return exchange;
                }
            }
            return null;
        }

        /// <summary>
        /// <see cref="ExchangeOf(AuditDetails)"/> of stored details JSON; null when they are not a JSON object.
        /// </summary>
        internal static string? ExchangeOf(string detailsJson)
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(detailsJson));
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }
                string? exchange = null;
                var found = false;
                // Reads to the end, so that text which is not valid JSON as a whole counts as no exchange.
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                    {
                        var named = reader.ValueTextEquals("exchange");
                        reader.Read();
                        if (named && !found && reader.TokenType == JsonTokenType.String)
                        {
                            exchange = reader.GetString();
                            found = true;
                        }
                    }
                }
                return exchange;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private AuditRecord? ReadLastRecord()
        {
            var command = database.Prepared(LastRecordSql);
            command.Transaction = Transaction;
            using var reader = command.ExecuteReader();
            return reader.Read() ? AuditReader.ToRecord(reader) : null;
        }

        private void CheckEnd(AuditRecord? last, AuditHead? head)
        {
            if (last != null && !chain.Seals(last))
            {
                if (!chain.CanVerify(last.KeyId))
                {
                    throw new KeyRingBehindException(last.KeyId);
                }
                throw AuditStateStore.Tampered($"the last record, {last.Sequence}, was changed after it was written (its MAC does not match)");
            }
            if (head is null)
            {
                if (last != null)
                {
                    throw AuditStateStore.Tampered($"the head file {AuditHeadFile.FileName} that guards the end of the log is missing or damaged");
                }
                return;
            }
            if (!head.IsSealed(chain))
            {
                throw AuditStateStore.Tampered($"the head file {AuditHeadFile.FileName} was altered (its MAC does not match)");
            }
            var mismatch = head.Mismatch(lastSequence, lastMac);
            if (mismatch != null)
            {
                throw AuditStateStore.Tampered(mismatch);
            }
        }
    }
}
