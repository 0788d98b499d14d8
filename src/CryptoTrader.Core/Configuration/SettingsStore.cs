using System.Collections.Generic;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Configuration
{
    /// <summary>Reads and writes the settings table.</summary>
    public sealed class SettingsStore
    {
        private readonly CtDatabase database;

        public SettingsStore(CtDatabase database)
        {
            this.database = database;
        }

        public string? Get(string name)
        {
            using var command = database.Connection.CreateCommand();
            command.CommandText = "SELECT value FROM settings WHERE name = $name;";
            command.Parameters.AddWithValue("$name", name);
            return command.ExecuteScalar() as string;
        }

        public IReadOnlyDictionary<string, string> GetAll()
        {
            var all = new Dictionary<string, string>();
            using var command = database.Connection.CreateCommand();
            command.CommandText = "SELECT name, value FROM settings;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                all[reader.GetString(0)] = reader.GetString(1);
            }
            return all;
        }

        /// <summary>Writes several settings atomically; a null value removes the setting. Only for internal bookkeeping: user-visible changes go through <see cref="ConfigChanges"/>, which audits them.</summary>
        public void Set(IReadOnlyDictionary<string, string?> values)
        {
            using var transaction = new CtTransaction(database.Connection);
            Set(database.Connection, transaction, values);
            transaction.Commit();
        }

        /// <summary>Writes settings inside the caller's transaction.</summary>
        internal void Set(CtTransaction transaction, IReadOnlyDictionary<string, string?> values) => Set(database.Connection, transaction, values);

        /// <summary>Writes settings inside an audit transaction.</summary>
        public void Set(AuditTransaction audit, IReadOnlyDictionary<string, string?> values) => Set(audit.Connection, audit.Transaction, values);

        private static void Set(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyDictionary<string, string?> values)
        {
            foreach (var pair in values)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                if (pair.Value is null)
                {
                    command.CommandText = "DELETE FROM settings WHERE name = $name;";
                }
                else
                {
                    command.CommandText = "INSERT INTO settings (name, value) VALUES ($name, $value) ON CONFLICT(name) DO UPDATE SET value = excluded.value;";
                    command.Parameters.AddWithValue("$value", pair.Value);
                }
                command.Parameters.AddWithValue("$name", pair.Key);
                command.ExecuteNonQuery();
            }
        }
    }
}
