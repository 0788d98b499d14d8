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

            // 2: the audit log: append-only (triggers refuse UPDATE and DELETE), hash-chained, indexed for the filters.
            @"CREATE TABLE audit_log (
                sequence   INTEGER PRIMARY KEY NOT NULL,
                timestamp  TEXT NOT NULL,
                event_type TEXT NOT NULL,
                user_id    TEXT NOT NULL,
                details    TEXT NOT NULL,
                exchange   TEXT,
                key_id     TEXT NOT NULL,
                prev_mac   TEXT NOT NULL,
                mac        TEXT NOT NULL
              );
              CREATE INDEX audit_log_by_event ON audit_log (event_type, sequence);
              CREATE INDEX audit_log_by_exchange ON audit_log (exchange, sequence);
              CREATE INDEX audit_log_by_user ON audit_log (user_id, sequence);
              CREATE INDEX audit_log_by_time ON audit_log (timestamp, sequence);
              CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
              CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",

            // 3: exchange credentials, one Fernet token each (API key and secret), with the key id that made it.
            @"CREATE TABLE credentials (
                exchange    TEXT NOT NULL,
                name        TEXT NOT NULL,
                token       TEXT NOT NULL,
                key_id      TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                created     TEXT NOT NULL,
                updated     TEXT NOT NULL,
                PRIMARY KEY (exchange, name)
              ) WITHOUT ROWID;
              CREATE INDEX credentials_by_key ON credentials (key_id);",
        };

        public static int LatestVersion => Steps.Count;
    }
}
