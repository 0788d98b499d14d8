using CryptoTrader.Core.Errors;
using Microsoft.Data.Sqlite;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// The one row (audit_state) that holds the <see cref="AuditFacts"/> at the end of the log, MAC'd under the audit
    /// chain's key. Every append rewrites it in its own transaction, so it always names the last record: a row
    /// that does not (put back, edited, deleted) means the log was changed outside CryptoTrader, and no write
    /// goes ahead. The migration that made the table leaves a row without a MAC, meaning "fold the chain once".
    /// </summary>
    internal static class AuditStateStore
    {
        private const string Domain = "CryptoTrader.AuditState.v1";

        /// <summary>The facts at the last record (<paramref name="lastSequence"/>, <paramref name="lastMac"/>), checked.</summary>
        /// <exception cref="CtException">AuditLogTampered: the row is missing, altered, or not at the end of the log.</exception>
        public static AuditFacts Load(SqliteConnection connection, SqliteTransaction? transaction, AuditChain chain, long lastSequence, string lastMac)
        {
            string facts;
            string? keyId;
            string? mac;
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT facts, key_id, mac FROM audit_state WHERE id = 1;";
                using var reader = command.ExecuteReader();
                if (!reader.Read())
                {
                    throw Tampered("the audit state row is missing");
                }
                facts = reader.IsDBNull(0) ? string.Empty : reader.GetString(0);
                keyId = reader.IsDBNull(1) ? null : reader.GetString(1);
                mac = reader.IsDBNull(2) ? null : reader.GetString(2);
            }
            if (keyId is null && mac is null)
            {
                return Rebuild(connection, transaction, chain);
            }
            if (keyId != null && !chain.CanVerify(keyId))
            {
                throw new KeyRingBehindException(keyId);
            }
            if (keyId is null || mac is null || !AuditChain.HexEquals(mac, chain.StateMac(keyId, Domain, facts)))
            {
                throw Tampered("the audit state row was altered (its MAC does not match)");
            }
            AuditFacts parsed;
            try
            {
                parsed = AuditFacts.FromJson(facts);
            }
            catch (System.Exception e) when (e is System.Text.Json.JsonException || e is System.InvalidOperationException || e is System.Collections.Generic.KeyNotFoundException || e is System.FormatException)
            {
                throw Tampered("the audit state row cannot be read");
            }
            if (parsed.Sequence != lastSequence || !AuditChain.HexEquals(parsed.Mac, lastMac))
            {
                throw Tampered($"the audit state names record {parsed.Sequence} but the log ends at record {lastSequence}");
            }
            return parsed;
        }

        /// <summary>What is wrong with the state row at this end of the log (for Test-CtAuditLog), or null; a row the migration left is fine.</summary>
        public static string? Problem(SqliteConnection connection, SqliteTransaction? transaction, AuditChain chain, long lastSequence, string lastMac)
        {
            try
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT key_id IS NULL AND mac IS NULL FROM audit_state WHERE id = 1;";
                if (System.Convert.ToInt64(command.ExecuteScalar() ?? 0L) == 1)
                {
                    return null;
                }
                Load(connection, transaction, chain, lastSequence, lastMac);
                return null;
            }
            catch (AuditTamperedException e)
            {
                return e.Why;
            }
            catch (KeyRingBehindException)
            {
                return "the audit state was sealed with a key that is not in the key ring";
            }
        }

        public static void Save(SqliteConnection connection, SqliteTransaction transaction, AuditChain chain, AuditFacts facts)
        {
            var json = facts.ToJson();
            var keyId = chain.SigningKeyId;
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT OR REPLACE INTO audit_state (id, facts, key_id, mac) VALUES (1, $facts, $key_id, $mac);";
            command.Parameters.AddWithValue("$facts", json);
            command.Parameters.AddWithValue("$key_id", keyId);
            command.Parameters.AddWithValue("$mac", chain.StateMac(keyId, Domain, json));
            command.ExecuteNonQuery();
        }

        /// <summary>The facts folded from every record, each checked in its place (the first use after the migration).</summary>
        public static AuditFacts Rebuild(SqliteConnection connection, SqliteTransaction? transaction, AuditChain chain)
        {
            var facts = AuditFacts.Empty();
            var walk = new AuditChainWalk(chain);
            if (!walk.Walk(connection, transaction, 0, string.Empty, r => facts.Apply(r.Sequence, r.Timestamp, r.EventType, r.Details, r.Mac)))
            {
                throw Tampered(walk.Problem!);
            }
            return facts;
        }

        public static AuditTamperedException Tampered(string why) => new AuditTamperedException(why);
    }
}
