using System;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CryptoTrader.Core.Tests.Storage
{
    /// <summary>Migration 7: a database whose credentials hold token text gets them as bytes in a rowid table, and nothing else changes.</summary>
    public sealed class TokenBytesMigrationTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        [Fact]
        public void TokenTextBecomesBytes_StillDecrypting_WhileAValueThatIsNotBase64UrlStaysAndFailsItsCheck()
        {
            var home = DataHome.At(folder.Combine("home"));
            home.EnsureCreated();
            var ring = KeyRing.CreateNew();
            var good = ring.Encrypt(CredentialPayload.Encode("coinbase", "good", "key-good", "secret-good".ToCharArray()));
            var unpadded = ring.Encrypt(CredentialPayload.Encode("paper", "unpadded", "key-unpadded", "secret-unpadded!".ToCharArray()));
            CreateVersion6(home.DatabasePath,
                ("coinbase", "good", good.Token, good.KeyId),
                ("paper", "unpadded", unpadded.Token.TrimEnd('='), unpadded.KeyId),
                ("paper", "mangled", "not base64url!", good.KeyId));

            using var database = CtDatabase.Open(home);

            Assert.Equal(Migrations.LatestVersion, database.SchemaVersion);
            Assert.Equal("BLOB", CtDatabase.Scalar(database.Connection, "SELECT type FROM pragma_table_info('credentials') WHERE name = 'token';"));
            Assert.Equal("blob", CtDatabase.Scalar(database.Connection, "SELECT typeof(token) FROM credentials WHERE name = 'good';"));
            Assert.Equal("blob", CtDatabase.Scalar(database.Connection, "SELECT typeof(token) FROM credentials WHERE name = 'unpadded';"));
            Assert.Equal("text", CtDatabase.Scalar(database.Connection, "SELECT typeof(token) FROM credentials WHERE name = 'mangled';"));
            Assert.Equal(3L, CtDatabase.Scalar(database.Connection, "SELECT count(*) FROM credentials WHERE fingerprint = 'fp' AND created = 'c' AND updated = 'u' AND can_trade = 1;"));
            // A rowid table (ids in the old key order), still one row per exchange and name.
            Assert.Equal(3L, CtDatabase.Scalar(database.Connection, "SELECT id FROM credentials WHERE name = 'unpadded';"));
            Assert.Throws<SqliteException>(() => CtDatabase.Execute(database.Connection,
                "INSERT INTO credentials (exchange, name, token, key_id, fingerprint, created, updated) VALUES ('coinbase', 'good', x'00', 'k', 'fp', 'c', 'u');"));

            var audit = new AuditLog(database, home, ring, "test");
            var service = new ApiKeyService(database);
            using (var credential = service.Reveal(audit, ring, "coinbase", "good"))
            {
                Assert.Equal("key-good", credential.ApiKey);
            }
            using (var credential = service.Reveal(audit, ring, "paper", "unpadded"))
            {
                Assert.Equal("key-unpadded", credential.ApiKey);
            }
            var error = Assert.Throws<CtException>(() => service.Reveal(audit, ring, "paper", "mangled"));
            Assert.Equal(ErrorIds.CredentialIntegrityFailed, error.ErrorId);
            Assert.Equal(good.Token, new CredentialStore(database).Find("coinbase", "good")!.Token);
        }

        private static void CreateVersion6(string path, params (string Exchange, string Name, string Token, string KeyId)[] rows)
        {
            SqliteNative.EnsureInitialized();
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            foreach (var step in Migrations.Steps.Take(6))
            {
                CtDatabase.Execute(connection, step);
            }
            CtDatabase.Execute(connection, "PRAGMA user_version = 6;");
            foreach (var row in rows)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO credentials (exchange, name, token, key_id, fingerprint, created, updated, can_view, can_trade, can_transfer) " +
                    "VALUES ($exchange, $name, $token, $key_id, 'fp', 'c', 'u', 1, 1, 0);";
                insert.Parameters.AddWithValue("$exchange", row.Exchange);
                insert.Parameters.AddWithValue("$name", row.Name);
                insert.Parameters.AddWithValue("$token", row.Token);
                insert.Parameters.AddWithValue("$key_id", row.KeyId);
                insert.ExecuteNonQuery();
            }
        }
    }
}
