using System;
using System.Collections;
using System.Linq;
using CryptoTrader.Core.Audit;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    public class AuditRecordTests
    {
        private static CryptoTrader.AuditRecord NewRecord(AuditTestFolder folder) =>
            folder.Log.Write(t => t.Append(AuditEventType.ApiKeyChanged,
                new AuditDetails().Add("exchange", "coinbase").Add("action", "updated").Add("count", 2L).Add("amount", 0.5m).Add("ok", false),
                new DateTimeOffset(2025, 12, 13, 19, 0, 0, TimeSpan.Zero)))[0];

        [Fact]
        public void AsDictionary_HasExactlyThePersistedKeysInOrder()
        {
            using var folder = new AuditTestFolder();
            NewRecord(folder);
            IDictionary record = folder.ReadAll().Single();

            Assert.Equal(new[] { "timestamp", "event_type", "user_id", "details" }, record.Keys.Cast<string>());
            Assert.Equal(4, record.Count);
            Assert.Equal("2025-12-13T19:00:00Z", record["timestamp"]);
            Assert.Equal("API_KEY_CHANGED", record["event_type"]);
            Assert.Equal("system", record["user_id"]);
            var details = Assert.IsAssignableFrom<IDictionary>(record["details"]);
            Assert.Equal(new[] { "exchange", "action", "count", "amount", "ok" }, details.Keys.Cast<string>());
            Assert.Equal("coinbase", details["exchange"]);
            Assert.Equal(2L, details["count"]);
            Assert.Equal(0.5m, details["amount"]);
            Assert.Equal(false, details["ok"]);
            Assert.True(record.Contains("details"));
            Assert.False(record.Contains("Sequence"));
            var enumerated = record.Cast<DictionaryEntry>().Select(e => (string)e.Key).ToArray();
            Assert.Equal(new[] { "timestamp", "event_type", "user_id", "details" }, enumerated);
        }

        [Fact]
        public void AsDictionary_IsReadOnly()
        {
            using var folder = new AuditTestFolder();
            IDictionary record = NewRecord(folder);

            Assert.True(record.IsReadOnly);
            Assert.True(record.IsFixedSize);
            Assert.Throws<NotSupportedException>(() => record["user_id"] = "mallory");
            Assert.Throws<NotSupportedException>(() => record["extra"] = 1);
            Assert.Throws<NotSupportedException>(() => record.Add("extra", 1));
            Assert.Throws<NotSupportedException>(() => record.Remove("details"));
            Assert.Throws<NotSupportedException>(() => record.Clear());
            Assert.Equal("system", record["user_id"]);
            Assert.Equal(4, record.Count);
        }

        [Fact]
        public void Details_AreReadOnly()
        {
            using var folder = new AuditTestFolder();
            var record = NewRecord(folder);

            Assert.Throws<NotSupportedException>(() => record.Details["exchange"] = "kraken");
            Assert.Throws<NotSupportedException>(() => record.Details.Add("x", 1));
            Assert.Throws<NotSupportedException>(() => record.Details.Remove("exchange"));
            Assert.Equal("coinbase", record.Details["exchange"]);
        }

        [Fact]
        public void TypedProperties_MatchTheStoredRow()
        {
            using var folder = new AuditTestFolder();
            var written = NewRecord(folder);
            var read = folder.ReadAll().Single();

            Assert.Equal(new DateTime(2025, 12, 13, 19, 0, 0, DateTimeKind.Utc), read.Timestamp);
            Assert.Equal(DateTimeKind.Utc, read.Timestamp.Kind);
            Assert.Equal(written.Sequence, read.Sequence);
            Assert.Equal(written.ChainHash, read.ChainHash);
            Assert.Equal(written.PreviousHash, read.PreviousHash);
            Assert.Equal(written.KeyId, read.KeyId);
            Assert.Equal("1:" + written.ChainHash, read.Head);
            Assert.Equal("2025-12-13T19:00:00Z API_KEY_CHANGED system {\"exchange\":\"coinbase\",\"action\":\"updated\",\"count\":2,\"amount\":0.5,\"ok\":false}", read.ToString());
        }
    }
}
