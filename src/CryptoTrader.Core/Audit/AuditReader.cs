using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CryptoTrader.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Audit
{
    /// <summary>Streams audit records in sequence order through the indexes, one row at a time.</summary>
    public sealed class AuditReader
    {
        private const string Columns = "sequence, timestamp, event_type, user_id, details, key_id, prev_mac, mac";
        private readonly CtDatabase database;

        public AuditReader(CtDatabase database)
        {
            this.database = database;
        }

        public IEnumerable<AuditRecord> Read(AuditQuery query)
        {
            using var command = database.Connection.CreateCommand();
            var where = new List<string>();
            if (query.EventTypes != null && query.EventTypes.Count > 0)
            {
                var names = new List<string>();
                for (var i = 0; i < query.EventTypes.Count; i++)
                {
                    names.Add("$event" + i);
                    command.Parameters.AddWithValue("$event" + i, query.EventTypes[i]);
                }
                where.Add("event_type IN (" + string.Join(", ", names) + ")");
            }
            AddEquals(command, where, "exchange", query.Exchange);
            AddEquals(command, where, "user_id", query.UserId);
            if (query.After.HasValue)
            {
                // Stored times have whole seconds: "after 10:00:00.5" means from 10:00:01 on.
                where.Add("timestamp > $after");
                command.Parameters.AddWithValue("$after", AuditTime.Format(query.After.Value));
            }
            if (query.Before.HasValue)
            {
                where.Add("timestamp < $before");
                command.Parameters.AddWithValue("$before", AuditTime.Format(CeilingToSecond(query.Before.Value)));
            }
            var filter = where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where);
            var sql = new StringBuilder();
            if (query.Last.HasValue)
            {
                sql.Append("SELECT ").Append(Columns).Append(" FROM (SELECT ").Append(Columns).Append(" FROM audit_log").Append(filter)
                   .Append(" ORDER BY sequence DESC LIMIT $last) ORDER BY sequence");
                command.Parameters.AddWithValue("$last", query.Last.Value);
            }
            else
            {
                sql.Append("SELECT ").Append(Columns).Append(" FROM audit_log").Append(filter).Append(" ORDER BY sequence");
            }
            if (query.First.HasValue)
            {
                sql.Append(" LIMIT $first");
                command.Parameters.AddWithValue("$first", query.First.Value);
            }
            command.CommandText = sql.Append(';').ToString();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                yield return ToRecord(reader);
            }
        }

        public AuditRecord? Find(long sequence, SqliteTransaction? transaction = null)
        {
            using var command = database.Connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT " + Columns + " FROM audit_log WHERE sequence = $sequence;";
            command.Parameters.AddWithValue("$sequence", sequence);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ToRecord(reader) : null;
        }

        public long Count()
        {
            using var command = database.Connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM audit_log;";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        internal static AuditRecord ToRecord(SqliteDataReader reader) => new AuditRecord(
            reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7));

        private static void AddEquals(SqliteCommand command, List<string> where, string column, string? value)
        {
            if (value != null)
            {
                where.Add(column + " = $" + column);
                command.Parameters.AddWithValue("$" + column, value);
            }
        }

        private static DateTimeOffset CeilingToSecond(DateTimeOffset value)
        {
            var remainder = value.UtcTicks % TimeSpan.TicksPerSecond;
            return remainder == 0 ? value : value.AddTicks(TimeSpan.TicksPerSecond - remainder);
        }
    }
}
