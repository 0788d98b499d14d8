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
                new AuditDetails().Add("exchange", "coinbase").Add("action", "updated").Add("count", 2L).Add("amount", 0.5m).Add("ok", false).Add("limit_price", (string?)null),
                new DateTimeOffset(2025, 12, 13, 19, 0, 0, TimeSpan.Zero)))[0];

        [Fact]
        public void Record_IsAPlainObject_NotACollection()
        {
            Assert.False(typeof(IEnumerable).IsAssignableFrom(typeof(CryptoTrader.AuditRecord)));
            var properties = typeof(CryptoTrader.AuditRecord).GetProperties().Select(p => p.Name).ToArray();
            Assert.Equal(new[] { "Sequence", "Timestamp", "EventType", "UserId", "Details", "ChainHash", "PreviousHash", "KeyId", "Head" }, properties);
            Assert.All(typeof(CryptoTrader.AuditRecord).GetProperties(), p => Assert.Null(p.SetMethod));
        }

        [Fact]
        public void Details_KeepTheStoredOrderAndTypes()
        {
            using var folder = new AuditTestFolder();
            NewRecord(folder);
            var details = folder.ReadAll().Single().Details;

            Assert.Equal(new[] { "exchange", "action", "count", "amount", "ok", "limit_price" }, details.Keys.Cast<string>());
            Assert.Equal(6, details.Count);
            Assert.Equal("coinbase", details["exchange"]);
            Assert.Equal(2L, details["count"]);
            Assert.Equal(0.5m, details["amount"]);
            Assert.Equal(false, details["ok"]);
            Assert.Null(details["limit_price"]);
            Assert.True(details.Contains("limit_price"));
        }

        [Fact]
        public void Details_AsText_AreKeyValuePairsInStoredOrder()
        {
            using var folder = new AuditTestFolder();
            var record = NewRecord(folder);

            Assert.Equal("exchange=coinbase; action=updated; count=2; amount=0.5; ok=false; limit_price=", record.Details.ToString());
        }

        [Fact]
        public void Details_AreReadOnly()
        {
            using var folder = new AuditTestFolder();
            IDictionary details = NewRecord(folder).Details;

            Assert.True(details.IsReadOnly);
            Assert.True(details.IsFixedSize);
            Assert.Throws<NotSupportedException>(() => details["exchange"] = "kraken");
            Assert.Throws<NotSupportedException>(() => details.Add("x", 1));
            Assert.Throws<NotSupportedException>(() => details.Remove("exchange"));
            Assert.Throws<NotSupportedException>(() => details.Clear());
            Assert.Equal("coinbase", details["exchange"]);
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
            Assert.Equal("2025-12-13T19:00:00Z API_KEY_CHANGED system {\"exchange\":\"coinbase\",\"action\":\"updated\",\"count\":2,\"amount\":0.5,\"ok\":false,\"limit_price\":null}", read.ToString());
        }
    }
}
