using System.Collections.Generic;

namespace CryptoTrader.Core.Storage
{
    /// <summary>
    /// The schema, as an ordered list of steps. A database records the last step it has
    /// (PRAGMA user_version); opening it applies the missing ones in one transaction each.
    /// Steps are never edited once released: add a new one instead.
    /// </summary>
    internal static class Migrations
    {
        public static readonly IReadOnlyList<string> Steps = new[]
        {
            // 1: settings (name/value), including the database id that names the key ring secret.
            @"CREATE TABLE settings (
                name  TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
              ) WITHOUT ROWID;
              INSERT INTO settings (name, value) VALUES ('database_id', lower(hex(randomblob(16))));",
        };

        public static int LatestVersion => Steps.Count;
    }
}
