using System;
using System.Collections.Generic;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>The credentials table. Writes happen inside an audit transaction, so each change carries its record.</summary>
    internal sealed class CredentialStore
    {
        private const string Columns = "exchange, name, token, key_id, fingerprint, created, updated, can_view, can_trade, can_transfer";
        private readonly SqliteConnection connection;

        public CredentialStore(CtDatabase database)
        {
            connection = database.Connection;
        }

        public StoredCredential? Find(string exchange, string name, SqliteTransaction? transaction = null)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT {Columns} FROM credentials WHERE exchange = $exchange AND name = $name;";
            command.Parameters.AddWithValue("$exchange", exchange);
            command.Parameters.AddWithValue("$name", name);
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }

        public List<StoredCredential> All()
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM credentials ORDER BY exchange, name;";
            return ReadAll(command);
        }

        /// <summary>The credentials whose token was not made by <paramref name="keyId"/>, with their tokens.</summary>
        public PendingTokens TokensNotUnder(string keyId)
        {
            var pending = new PendingTokens();
            try
            {
                ReadTokensNotUnder(keyId, pending);
                return pending;
            }
            catch
            {
                pending.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Adds the credentials whose token was not made by <paramref name="keyId"/> to <paramref name="pending"/>, and
        /// marks it complete even when reading fails (other threads may be waiting for its rows).
        /// </summary>
        public void ReadTokensNotUnder(string keyId, PendingTokens pending)
        {
            try
            {
                using var select = new RawStatement(connection, "SELECT id, exchange, name, key_id, token FROM credentials WHERE key_id <> ?1;");
                select.Bind(1, keyId);
                // Nearly every row names the same old key: one string for all of those rows.
                var rowKeyId = new RepeatedText();
                while (select.Step())
                {
                    pending.Add(select.Int64(0), select.Bytes(1), select.Bytes(2), rowKeyId.Of(select.Bytes(3)), select.Bytes(4));
                }
            }
            finally
            {
                pending.MarkComplete();
            }
        }

        /// <summary>The key ids that made the stored tokens. There is no index on key_id (see migration 6): this reads the table.</summary>
        public HashSet<string> KeyIdsInUse()
        {
            var ids = new HashSet<string>();
            using var select = new RawStatement(connection, "SELECT key_id FROM credentials;");
            // Nearly every row names the same key: one string for a run of equal ids, none per row.
            var rowKeyId = new RepeatedText();
            while (select.Step())
            {
                ids.Add(rowKeyId.Of(select.Bytes(0)));
            }
            return ids;
        }

        public void Upsert(AuditTransaction audit, StoredCredential credential)
        {
            using var command = connection.CreateCommand();
            command.Transaction = audit.Transaction;
            command.CommandText =
                $"INSERT INTO credentials ({Columns}) VALUES ($exchange, $name, $token, $key_id, $fingerprint, $created, $updated, $can_view, $can_trade, $can_transfer) " +
                "ON CONFLICT (exchange, name) DO UPDATE SET token = excluded.token, key_id = excluded.key_id, " +
                "fingerprint = excluded.fingerprint, updated = excluded.updated, " +
                "can_view = excluded.can_view, can_trade = excluded.can_trade, can_transfer = excluded.can_transfer;";
            command.Parameters.AddWithValue("$exchange", credential.Exchange);
            command.Parameters.AddWithValue("$name", credential.Name);
            command.Parameters.AddWithValue("$token", StoredToken.ToBytes(credential.Token));
            command.Parameters.AddWithValue("$key_id", credential.KeyId);
            command.Parameters.AddWithValue("$fingerprint", credential.Fingerprint);
            command.Parameters.AddWithValue("$created", credential.Created);
            command.Parameters.AddWithValue("$updated", credential.Updated);
            var capabilities = credential.Capabilities;
            command.Parameters.AddWithValue("$can_view", capabilities is null ? (object)System.DBNull.Value : capabilities.CanView ? 1 : 0);
            command.Parameters.AddWithValue("$can_trade", capabilities is null ? (object)System.DBNull.Value : capabilities.CanTrade ? 1 : 0);
            command.Parameters.AddWithValue("$can_transfer", capabilities is null ? (object)System.DBNull.Value : capabilities.CanTransfer ? 1 : 0);
            command.ExecuteNonQuery();
        }

        /// <summary>
        /// Stores re-encrypted tokens under <paramref name="keyId"/>, in the write transaction that read them
        /// (so no row changed in between). Each row is stored once <paramref name="ready"/> says its new token is
        /// there; the first row it refuses ends the work. Returns how many rows were replaced: all of them, or the
        /// index of the refused one.
        /// </summary>
        public int ReplaceTokens(PendingTokens pending, string keyId, Func<int, bool> ready)
        {
            if (!RawStatement.InTransaction(connection))
            {
                throw new InvalidOperationException("Tokens are read and replaced inside one write transaction.");
            }
            using var update = new RawStatement(connection, "UPDATE credentials SET token = ?1, key_id = ?2 WHERE id = ?3;");
            update.Bind(2, keyId);
            var replaced = 0;
            while (replaced < pending.Count && ready(replaced))
            {
                update.BindBlob(1, pending.Token(replaced));
                update.Bind(3, pending.RowId(replaced));
                if (update.Execute() != 1)
                {
                    throw new InvalidOperationException("A credential read in this transaction is gone.");
                }
                replaced++;
            }
            return replaced;
        }

        public bool Delete(AuditTransaction audit, string exchange, string name)
        {
            using var command = connection.CreateCommand();
            command.Transaction = audit.Transaction;
            command.CommandText = "DELETE FROM credentials WHERE exchange = $exchange AND name = $name;";
            command.Parameters.AddWithValue("$exchange", exchange);
            command.Parameters.AddWithValue("$name", name);
            return command.ExecuteNonQuery() == 1;
        }

        private static List<StoredCredential> ReadAll(SqliteCommand command)
        {
            var list = new List<StoredCredential>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                list.Add(Read(reader));
            }
            return list;
        }

        private static StoredCredential Read(SqliteDataReader reader) => new StoredCredential(
            reader.GetString(0), reader.GetString(1), StoredToken.ToText(reader.GetValue(2)), reader.GetString(3),
            reader.GetString(4), reader.GetString(5), reader.GetString(6),
            reader.IsDBNull(7) ? null : new Exchanges.KeyCapabilities(reader.GetInt64(7) != 0, !reader.IsDBNull(8) && reader.GetInt64(8) != 0, !reader.IsDBNull(9) && reader.GetInt64(9) != 0));
    }
}
