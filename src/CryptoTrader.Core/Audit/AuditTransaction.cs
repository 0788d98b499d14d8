using System;
using System.Collections.Generic;
using System.Text.Json;
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

        private const string HeadSql = "SELECT sequence, mac FROM audit_log ORDER BY sequence DESC LIMIT 1;";

        internal AuditTransaction(CtDatabase database, SqliteTransaction transaction, AuditChain chain, string userId)
        {
            this.database = database;
            Connection = database.Connection;
            Transaction = transaction;
            this.chain = chain;
            this.userId = userId;
            (lastSequence, lastMac) = ReadHead();
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

        private (long, string) ReadHead()
        {
            var command = database.Prepared(HeadSql);
            command.Transaction = Transaction;
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0L, string.Empty);
        }
    }
}
