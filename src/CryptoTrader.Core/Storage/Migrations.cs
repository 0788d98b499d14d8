using System.Collections.Generic;
using CryptoTrader.Core.Crypto;
using Microsoft.Data.Sqlite;

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

            // 4: trading grants (MAC'd, bound to the audit record that made them) and the paper exchange.
            @"CREATE TABLE grants (
                exchange           TEXT NOT NULL,
                name               TEXT NOT NULL,
                granted_by         TEXT NOT NULL,
                granted_at         TEXT NOT NULL,
                expires_at         TEXT,
                max_order_value    TEXT,
                max_orders_per_day INTEGER,
                allowed_symbols    TEXT,
                audit_sequence     INTEGER NOT NULL,
                key_id             TEXT NOT NULL,
                mac                TEXT NOT NULL,
                expiry_recorded    INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (exchange, name)
              ) WITHOUT ROWID;
              CREATE TABLE paper_prices (
                symbol  TEXT PRIMARY KEY NOT NULL,
                price   TEXT NOT NULL,
                updated TEXT NOT NULL
              ) WITHOUT ROWID;
              CREATE TABLE paper_balances (
                account   TEXT NOT NULL,
                currency  TEXT NOT NULL,
                available TEXT NOT NULL,
                hold      TEXT NOT NULL,
                PRIMARY KEY (account, currency)
              ) WITHOUT ROWID;
              CREATE TABLE paper_orders (
                order_id        TEXT PRIMARY KEY NOT NULL,
                account         TEXT NOT NULL,
                client_order_id TEXT NOT NULL,
                symbol          TEXT NOT NULL,
                side            TEXT NOT NULL,
                quantity        TEXT NOT NULL,
                limit_price     TEXT,
                status          TEXT NOT NULL,
                filled_quantity TEXT NOT NULL,
                average_price   TEXT,
                created         TEXT NOT NULL,
                UNIQUE (account, client_order_id)
              );
              CREATE INDEX paper_orders_open ON paper_orders (symbol, status);
              CREATE INDEX audit_log_by_exchange_event ON audit_log (exchange, event_type, sequence);",

            // 5: what the exchange says a key may do (Coinbase key_permissions), asked when the key is stored;
            //    NULL = not asked (the paper exchange, or keys stored before this step).
            @"ALTER TABLE credentials ADD COLUMN can_view INTEGER;
              ALTER TABLE credentials ADD COLUMN can_trade INTEGER;
              ALTER TABLE credentials ADD COLUMN can_transfer INTEGER;",

            // 6: no index on credentials.key_id. A key rotation changes the key id of every row, and keeping that
            //    index up to date cost a third of the rotation's time; finding the key ids in use reads the table
            //    instead, a few milliseconds for 10,000 credentials.
            @"DROP INDEX credentials_by_key;",

            // 7: what a key rotation rewrites for every credential, made cheaper: the token as its bytes (base64url
            //    decoded; BLOB), a quarter smaller than the text, and a rowid table, where the rotation updates each
            //    row by id in place (a WITHOUT ROWID row is deleted and inserted again). A value that is not
            //    base64url stays as it was, and fails its integrity check.
            @"CREATE TABLE credentials_v7 (
                id           INTEGER PRIMARY KEY,
                exchange     TEXT NOT NULL,
                name         TEXT NOT NULL,
                token        BLOB NOT NULL,
                key_id       TEXT NOT NULL,
                fingerprint  TEXT NOT NULL,
                created      TEXT NOT NULL,
                updated      TEXT NOT NULL,
                can_view     INTEGER,
                can_trade    INTEGER,
                can_transfer INTEGER,
                UNIQUE (exchange, name)
              );
              INSERT INTO credentials_v7 (exchange, name, token, key_id, fingerprint, created, updated, can_view, can_trade, can_transfer)
                SELECT exchange, name, " + TokenBytesFunction + @"(token), key_id, fingerprint, created, updated, can_view, can_trade, can_transfer
                FROM credentials ORDER BY exchange, name;
              DROP TABLE credentials;
              ALTER TABLE credentials_v7 RENAME TO credentials;",

            // 8: the facts the permission gate decides on (AuditFacts), folded from the audit records and MAC'd, kept in
            //    one row that every append rewrites; created without a MAC, meaning "fold the chain on first use".
            //    Grants record the currency of their MaxOrderValue (NULL for older grants: USD, under the old MAC).
            @"CREATE TABLE audit_state (
                id     INTEGER PRIMARY KEY CHECK (id = 1),
                facts  TEXT NOT NULL,
                key_id TEXT,
                mac    TEXT
              );
              INSERT INTO audit_state (id, facts) VALUES (1, '');
              ALTER TABLE grants ADD COLUMN value_currency TEXT;",

            // 9: market data. A series is an exchange, a symbol and a granularity (seconds); its candles are keyed by
            //    (series, start in Unix seconds), prices and volume as invariant decimal text. candle_coverage holds the
            //    ranges already fetched or imported (merged, disjoint), so a sync asks only for what it lacks, gaps
            //    where nothing traded included.
            @"CREATE TABLE candle_series (
                id          INTEGER PRIMARY KEY,
                exchange    TEXT NOT NULL,
                symbol      TEXT NOT NULL,
                granularity INTEGER NOT NULL,
                UNIQUE (exchange, symbol, granularity)
              );
              CREATE TABLE candles (
                series INTEGER NOT NULL REFERENCES candle_series (id),
                start  INTEGER NOT NULL,
                open   TEXT NOT NULL,
                high   TEXT NOT NULL,
                low    TEXT NOT NULL,
                close  TEXT NOT NULL,
                volume TEXT NOT NULL,
                PRIMARY KEY (series, start)
              ) WITHOUT ROWID;
              CREATE TABLE candle_coverage (
                series      INTEGER NOT NULL REFERENCES candle_series (id),
                range_start INTEGER NOT NULL,
                range_end   INTEGER NOT NULL,
                PRIMARY KEY (series, range_start)
              ) WITHOUT ROWID;",
        };

        /// <summary>The SQL function step 7 uses: a token's bytes, or the value itself when it is not base64url text.</summary>
        private const string TokenBytesFunction = "ct_token_bytes";

        public static int LatestVersion => Steps.Count;

        /// <summary>Defines on <paramref name="connection"/> the SQL functions the steps use.</summary>
        public static void DefineFunctions(SqliteConnection connection) =>
            connection.CreateFunction<object, object>(TokenBytesFunction, value =>
                value is string text && Base64Url.TryDecode(text) is byte[] bytes ? bytes : value, isDeterministic: true);
    }
}
