using System.Collections.Generic;
using System.Linq;
using System.Text;
using CryptoTrader.Core.Audit;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>
    /// Every row of every table of a data folder's database, read through an independent connection, as one text for
    /// comparison. ERROR audit records are left out: reporting a failure in the audit log is not a change of stored data.
    /// </summary>
    internal static class StoredData
    {
        public static string Snapshot(SqliteConnection connection)
        {
            var text = new StringBuilder();
            foreach (var table in Strings(connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;"))
            {
                var filter = table == "audit_log" ? $" WHERE event_type <> '{AuditEventType.Error}'" : string.Empty;
                text.Append("## ").AppendLine(table);
                foreach (var row in Rows(connection, $"SELECT * FROM \"{table}\"{filter};").OrderBy(r => r, System.StringComparer.Ordinal))
                {
                    text.AppendLine(row);
                }
            }
            return text.ToString();
        }

        private static IEnumerable<string> Strings(SqliteConnection connection, string sql) => Rows(connection, sql);

        private static List<string> Rows(SqliteConnection connection, string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetValue(i).ToString())));
            }
            return rows;
        }
    }
}
