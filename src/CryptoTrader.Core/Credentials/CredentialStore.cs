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

        /// <summary>The credentials whose token was not made by <paramref name="keyId"/>, with their tokens, read in <paramref name="transaction"/>.</summary>
        public List<PendingToken> TokensNotUnder(string keyId, SqliteTransaction transaction)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT id, exchange, name, key_id, token FROM credentials WHERE key_id <> $key_id ORDER BY id;";
            command.Parameters.AddWithValue("$key_id", keyId);
            var pending = new List<PendingToken>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                pending.Add(new PendingToken(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), StoredToken.ToText(reader.GetValue(4))));
            }
            return pending;
        }

        /// <summary>The key ids that made the stored tokens. There is no index on key_id (see migration 6): this reads the table.</summary>
        public HashSet<string> KeyIdsInUse()
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT DISTINCT key_id FROM credentials;";
            var ids = new HashSet<string>(StringComparer.Ordinal);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
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

        /// <summary>Replaces the token of the credential with row id <paramref name="id"/> by one made by <paramref name="keyId"/>.</summary>
        public void ReplaceToken(SqliteTransaction transaction, long id, string token, string keyId)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE credentials SET token = $token, key_id = $key_id WHERE id = $id;";
            command.Parameters.AddWithValue("$token", StoredToken.ToBytes(token));
            command.Parameters.AddWithValue("$key_id", keyId);
            command.Parameters.AddWithValue("$id", id);
            if (command.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException("A credential read in this transaction is gone.");
            }
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
