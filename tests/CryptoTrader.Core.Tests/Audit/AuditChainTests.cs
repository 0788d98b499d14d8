using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CryptoTrader.Core.Audit;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    public class AuditChainTests
    {
        [Fact]
        public void Appends_FormAChainWithConsecutiveSequencesAndLinkedHashes()
        {
            using var folder = new AuditTestFolder();

            var appended = folder.AppendMany(7);
            var stored = folder.ReadAll();

            Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), appended.Select(r => r.Sequence));
            Assert.Equal(appended.Select(r => r.Sequence), stored.Select(r => r.Sequence));
            Assert.Equal(appended.Select(r => r.ChainHash), stored.Select(r => r.ChainHash));
            Assert.Equal(string.Empty, stored[0].PreviousHash);
            for (var i = 1; i < stored.Count; i++)
            {
                Assert.Equal(stored[i - 1].ChainHash, stored[i].PreviousHash);
            }
            Assert.All(stored, r => Assert.Matches("^[0-9a-f]{64}$", r.ChainHash));
            Assert.Equal(7, stored.Select(r => r.ChainHash).Distinct().Count());
            Assert.All(stored, r => Assert.Equal(folder.Ring.Primary.Id, r.KeyId));

            var result = folder.Verify();
            Assert.True(result.IsValid, result.Reason);
            Assert.Null(result.FirstInvalidSequence);
            Assert.Equal(7, result.RecordCount);
            Assert.Equal("7:" + stored[6].ChainHash, result.Head);
            Assert.Equal(stored[6].Head, result.Head);
        }

        [Fact]
        public void Verify_AcceptsTheHeadOfAnyEarlierRecordAsExpectedHead()
        {
            using var folder = new AuditTestFolder();
            var appended = folder.AppendMany(5);

            foreach (var record in appended)
            {
                var result = folder.Verify(record.Head);
                Assert.True(result.IsValid, result.Reason);
                Assert.Equal(5, result.RecordCount);
            }
        }

        [Fact]
        public void Verify_RejectsAnExpectedHeadWhoseHashIsNotInTheLog()
        {
            using var folder = new AuditTestFolder();
            var appended = folder.AppendMany(5);

            var result = folder.Verify("3:" + appended[3].ChainHash);

            Assert.False(result.IsValid);
            Assert.Equal(3, result.FirstInvalidSequence);
        }

        [Fact]
        public void EmptyLog_IsValidWithoutHead()
        {
            using var folder = new AuditTestFolder();

            var result = folder.Verify();

            Assert.True(result.IsValid, result.Reason);
            Assert.Equal(0, result.RecordCount);
            Assert.Null(result.Head);
            Assert.False(File.Exists(folder.HeadFilePath));
        }

        [Fact]
        public void Write_ChainsSeveralRecordsInOneTransactionAndAdvancesTheHeadFile()
        {
            using var folder = new AuditTestFolder();
            folder.AppendMany(2);

            var records = folder.Log.Write(t =>
            {
                t.Append(AuditEventType.TradeRequested, new AuditDetails().Add("exchange", "paper"));
                t.Append(AuditEventType.TradeExecuted, new AuditDetails().Add("exchange", "paper"));
                t.Append(AuditEventType.TradeFailed, new AuditDetails().Add("exchange", "paper"));
            });

            Assert.Equal(new long[] { 3, 4, 5 }, records.Select(r => r.Sequence));
            Assert.Equal(records[0].ChainHash, records[1].PreviousHash);
            Assert.Equal(records[1].ChainHash, records[2].PreviousHash);
            var headText = File.ReadAllText(folder.HeadFilePath).Split(' ');
            Assert.Equal("v2", headText[0]);
            Assert.Equal(5, long.Parse(headText[1]));
            Assert.Equal(records[2].ChainHash, headText[2]);
            Assert.Equal(0, long.Parse(headText[3]));
            Assert.True(folder.Verify().IsValid);
        }

        [Fact]
        public void Records_CarryTheLogsUserIdAndAWholeSecondUtcTimestamp()
        {
            using var folder = new AuditTestFolder(userId: "alice");

            var record = folder.Log.Append(AuditEventType.Error, new AuditDetails().Add("message", "boom"));
            var stored = folder.ReadAll().Single();

            Assert.Equal("alice", stored.UserId);
            Assert.Equal(AuditEventType.Error, stored.EventType);
            Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"), stored.TimestampText);
            Assert.Equal(System.DateTimeKind.Utc, stored.Timestamp.Kind);
            Assert.Equal(0, stored.Timestamp.Ticks % System.TimeSpan.TicksPerSecond);
            Assert.Equal(record.Timestamp, stored.Timestamp);
        }
    }
}
