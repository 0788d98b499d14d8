using System;
using System.Collections.Generic;
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
        private SqliteCommand? insert;

        internal AuditTransaction(SqliteConnection connection, SqliteTransaction transaction, AuditChain chain, string userId)
        {
            Connection = connection;
            Transaction = transaction;
            this.chain = chain;
            this.userId = userId;
            (lastSequence, lastMac) = ReadHead(connection, transaction);
        }

        internal SqliteConnection Connection { get; }

        internal SqliteTransaction Transaction { get; }

        internal IReadOnlyList<AuditRecord> Appended => appended;

        /// <summary>Appends one record; <paramref name="exchange"/> is indexed for Get-CtAuditLog -Exchange.</summary>
        public AuditRecord Append(string eventType, AuditDetails details, DateTimeOffset? at = null)
        {
            var sequence = lastSequence + 1;
            var timestamp = AuditTime.Format(at ?? DateTimeOffset.UtcNow);
            var detailsJson = details.ToJson();
            var exchange = FindExchange(details);
            var keyId = chain.SigningKeyId;
            var mac = chain.Mac(sequence, timestamp, eventType, userId, detailsJson, keyId, lastMac);
            var command = insert ??= PrepareInsert();
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
            lastSequence = sequence;
            lastMac = mac;
            return record;
        }

        /// <summary>Releases the prepared INSERT; the owner calls it once the transaction has ended.</summary>
        internal void Close()
        {
            insert?.Dispose();
            insert = null;
        }

        // One prepared statement for all the records of a transaction.
        private SqliteCommand PrepareInsert()
        {
            var command = Connection.CreateCommand();
            command.Transaction = Transaction;
            command.CommandText =
                "INSERT INTO audit_log (sequence, timestamp, event_type, user_id, details, exchange, key_id, prev_mac, mac) " +
                "VALUES ($sequence, $timestamp, $event_type, $user_id, $details, $exchange, $key_id, $prev_mac, $mac);";
            foreach (var name in new[] { "$sequence", "$timestamp", "$event_type", "$user_id", "$details", "$exchange", "$key_id", "$prev_mac", "$mac" })
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            return command;
        }

        private static string? FindExchange(AuditDetails details)
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

        private static (long, string) ReadHead(SqliteConnection connection, SqliteTransaction transaction)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT sequence, mac FROM audit_log ORDER BY sequence DESC LIMIT 1;";
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0L, string.Empty);
        }
    }
}
