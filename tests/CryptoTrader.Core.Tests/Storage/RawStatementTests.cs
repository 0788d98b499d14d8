using System.Text;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Audit;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CryptoTrader.Core.Tests.Storage
{
    public class RawStatementTests
    {
        [Fact]
        public void Step_StaysDone_InsteadOfRunningTheStatementAgain()
        {
            using var folder = new AuditTestFolder();
            using var select = new RawStatement(folder.Database.Connection, "SELECT value FROM settings WHERE name = 'database_id';");

            Assert.True(select.Step());
            Assert.False(select.Step());
            Assert.False(select.Step());
        }

        [Fact]
        public void Columns_GiveText_Utf8_Integers_AndNull()
        {
            using var folder = new AuditTestFolder();
            using var select = new RawStatement(folder.Database.Connection, "SELECT 'zürich', 42, NULL, ?1;");
            select.Bind(1, Encoding.UTF8.GetBytes("bound"));

            Assert.True(select.Step());
            Assert.Equal("zürich", select.Text(0));
            Assert.Equal(Encoding.UTF8.GetBytes("zürich"), select.Bytes(0).ToArray());
            Assert.Equal(42, select.Int64(1));
            Assert.True(select.IsNull(2));
            Assert.False(select.IsNull(1));
            Assert.Equal("bound", select.Text(3));
        }

        [Fact]
        public void Execute_ReportsChangedRows_AndCanRunAgain()
        {
            using var folder = new AuditTestFolder();
            using var insert = new RawStatement(folder.Database.Connection, "INSERT INTO settings (name, value) VALUES (?1, 'v');");

            insert.Bind(1, "first");
            Assert.Equal(1, insert.Execute());
            insert.Bind(1, "second");
            Assert.Equal(1, insert.Execute());

            Assert.False(RawStatement.InTransaction(folder.Database.Connection));
        }

        [Fact]
        public void Failures_AreSqliteExceptions()
        {
            using var folder = new AuditTestFolder();

            Assert.Throws<SqliteException>(() => new RawStatement(folder.Database.Connection, "SELECT * FROM no_such_table;"));
            using var insert = new RawStatement(folder.Database.Connection, "INSERT INTO settings (name, value) VALUES ('database_id', 'duplicate');");
            Assert.Throws<SqliteException>(() => insert.Execute());
        }
    }
}
