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
            using (var command = Connection.CreateCommand())
            {
                command.Transaction = Transaction;
                command.CommandText =
                    "INSERT INTO audit_log (sequence, timestamp, event_type, user_id, details, exchange, key_id, prev_mac, mac) " +
                    "VALUES ($sequence, $timestamp, $event_type, $user_id, $details, $exchange, $key_id, $prev_mac, $mac);";
                command.Parameters.AddWithValue("$sequence", sequence);
                command.Parameters.AddWithValue("$timestamp", timestamp);
                command.Parameters.AddWithValue("$event_type", eventType);
                command.Parameters.AddWithValue("$user_id", userId);
                command.Parameters.AddWithValue("$details", detailsJson);
                command.Parameters.AddWithValue("$exchange", (object?)exchange ?? DBNull.Value);
                command.Parameters.AddWithValue("$key_id", keyId);
                command.Parameters.AddWithValue("$prev_mac", lastMac);
                command.Parameters.AddWithValue("$mac", mac);
                command.ExecuteNonQuery();
            }
            var record = new AuditRecord(sequence, timestamp, eventType, userId, detailsJson, keyId, lastMac, mac);
            appended.Add(record);
            lastSequence = sequence;
            lastMac = mac;
            return record;
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
