using System;
using System.Globalization;
using System.Linq;
using CryptoTrader.Core.Audit;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Permissions
{
    /// <summary>The grants table. A credential without a row is ReadOnly.</summary>
    internal sealed class GrantStore
    {
        private const string Columns = "exchange, name, granted_by, granted_at, expires_at, max_order_value, max_orders_per_day, allowed_symbols, audit_sequence, key_id, mac, expiry_recorded";
        private readonly SqliteConnection connection;

        public GrantStore(SqliteConnection connection)
        {
            this.connection = connection;
        }

        public TradingGrant? Find(string exchange, string name, SqliteTransaction? transaction = null)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT {Columns} FROM grants WHERE exchange = $exchange AND name = $name;";
            command.Parameters.AddWithValue("$exchange", exchange);
            command.Parameters.AddWithValue("$name", name);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }
            try
            {
                return new TradingGrant
                {
                    Exchange = reader.GetString(0),
                    Name = reader.GetString(1),
                    GrantedBy = reader.GetString(2),
                    GrantedAt = reader.GetString(3),
                    ExpiresAt = reader.IsDBNull(4) ? null : reader.GetString(4),
                    MaxOrderValue = reader.IsDBNull(5) ? null : decimal.Parse(reader.GetString(5), NumberStyles.Number, CultureInfo.InvariantCulture),
                    MaxOrdersPerDay = reader.IsDBNull(6) ? null : reader.GetInt32(6),
                    AllowedSymbols = reader.IsDBNull(7) || reader.GetString(7).Length == 0 ? Array.Empty<string>() : reader.GetString(7).Split(','),
                    AuditSequence = reader.GetInt64(8),
                    KeyId = reader.GetString(9),
                    Mac = reader.GetString(10),
                    ExpiryRecorded = reader.GetInt64(11) != 0,
                };
            }
            catch (Exception e) when (e is FormatException || e is OverflowException || e is InvalidCastException)
            {
                // A row changed outside CryptoTrader into something unreadable: still a grant (so it can be shown and revoked), never honoured.
                return new TradingGrant { Exchange = exchange, Name = name, Unreadable = true };
            }
        }

        public void Upsert(AuditTransaction audit, TradingGrant grant)
        {
            using var command = connection.CreateCommand();
            command.Transaction = audit.Transaction;
            command.CommandText = $"INSERT OR REPLACE INTO grants ({Columns}) VALUES ($exchange, $name, $by, $at, $expires, $value, $orders, $symbols, $sequence, $key_id, $mac, 0);";
            command.Parameters.AddWithValue("$exchange", grant.Exchange);
            command.Parameters.AddWithValue("$name", grant.Name);
            command.Parameters.AddWithValue("$by", grant.GrantedBy);
            command.Parameters.AddWithValue("$at", grant.GrantedAt);
            command.Parameters.AddWithValue("$expires", (object?)grant.ExpiresAt ?? DBNull.Value);
            command.Parameters.AddWithValue("$value", (object?)grant.MaxOrderValue?.ToString(CultureInfo.InvariantCulture) ?? DBNull.Value);
            command.Parameters.AddWithValue("$orders", (object?)grant.MaxOrdersPerDay ?? DBNull.Value);
            command.Parameters.AddWithValue("$symbols", string.Join(",", grant.AllowedSymbols));
            command.Parameters.AddWithValue("$sequence", grant.AuditSequence);
            command.Parameters.AddWithValue("$key_id", grant.KeyId);
            command.Parameters.AddWithValue("$mac", grant.Mac);
            command.ExecuteNonQuery();
        }

        public bool Delete(SqliteTransaction transaction, string exchange, string name)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM grants WHERE exchange = $exchange AND name = $name;";
            command.Parameters.AddWithValue("$exchange", exchange);
            command.Parameters.AddWithValue("$name", name);
            return command.ExecuteNonQuery() == 1;
        }

        public void MarkExpiryRecorded(SqliteTransaction transaction, string exchange, string name)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE grants SET expiry_recorded = 1 WHERE exchange = $exchange AND name = $name;";
            command.Parameters.AddWithValue("$exchange", exchange);
            command.Parameters.AddWithValue("$name", name);
            command.ExecuteNonQuery();
        }

        /// <summary>True when a PERMISSION_CHANGED record for this credential came after the given one (the grant was superseded).</summary>
        public bool HasLaterPermissionRecord(string exchange, string name, long sequence)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1 FROM audit_log WHERE exchange = $exchange AND event_type = $event AND sequence > $sequence " +
                "AND json_extract(details, '$.name') = $name LIMIT 1;";
            command.Parameters.AddWithValue("$exchange", exchange);
            command.Parameters.AddWithValue("$event", AuditEventType.PermissionChanged);
            command.Parameters.AddWithValue("$sequence", sequence);
            command.Parameters.AddWithValue("$name", name);
            return command.ExecuteScalar() != null;
        }

        /// <summary>Order placements requested by this credential since the start of the UTC day (cancels are not orders).</summary>
        public long OrdersToday(string exchange, string name)
        {
            using var command = connection.CreateCommand();
            // The day's first sequence number (time index) bounds the scan, so the count does not grow with history.
            command.CommandText = "SELECT count(*) FROM audit_log WHERE exchange = $exchange AND event_type = $event " +
                "AND sequence >= (SELECT coalesce(min(sequence), 9223372036854775807) FROM audit_log WHERE timestamp >= $day) AND timestamp >= $day " +
                "AND json_extract(details, '$.name') = $name AND json_extract(details, '$.action') IS NOT 'cancel';";
            command.Parameters.AddWithValue("$exchange", exchange);
            command.Parameters.AddWithValue("$event", AuditEventType.TradeRequested);
            command.Parameters.AddWithValue("$day", AuditTime.Format(new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero)));
            command.Parameters.AddWithValue("$name", name);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }
}
