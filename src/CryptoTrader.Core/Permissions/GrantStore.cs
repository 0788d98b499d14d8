using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CryptoTrader.Core.Audit;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Permissions
{
    /// <summary>
    /// The grants table. A credential without a row is ReadOnly. A row is honoured only with its MAC and while the
    /// audit log's latest permission record for the credential is the one that made it (see PermissionService).
    /// </summary>
    internal sealed class GrantStore
    {
        private const string Columns = "exchange, name, granted_by, granted_at, expires_at, max_order_value, max_orders_per_day, allowed_symbols, audit_sequence, key_id, mac, value_currency";
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
                    ValueCurrency = reader.IsDBNull(11) ? GrantLimits.DefaultValueCurrency : reader.GetString(11),
                    CurrencyRecorded = !reader.IsDBNull(11),
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
            command.CommandText = $"INSERT OR REPLACE INTO grants ({Columns}) VALUES ($exchange, $name, $by, $at, $expires, $value, $orders, $symbols, $sequence, $key_id, $mac, $currency);";
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
            command.Parameters.AddWithValue("$currency", grant.ValueCurrency);
            command.ExecuteNonQuery();
        }

        /// <summary>The credentials that have a grant row, whatever it holds.</summary>
        public List<(string Exchange, string Name)> All(SqliteTransaction? transaction = null)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT exchange, name FROM grants ORDER BY exchange, name;";
            var all = new List<(string, string)>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                all.Add((reader.GetString(0), reader.GetString(1)));
            }
            return all;
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
    }
}
