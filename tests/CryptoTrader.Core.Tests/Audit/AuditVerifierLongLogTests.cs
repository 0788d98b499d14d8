using System.Linq;
using CryptoTrader.Core.Audit;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    /// <summary>A log of thousands of records: tampering anywhere, early or late, is found at its record.</summary>
    public class AuditVerifierLongLogTests
    {
        private const int Count = 2_500;

        [Fact]
        public void ALongLog_Verifies_WithItsLastRecordAsHead()
        {
            using var folder = NewLog(out var last);

            var result = folder.Verify();

            Assert.True(result.IsValid, result.Reason);
            Assert.Equal(Count, result.RecordCount);
            Assert.Equal(last.Sequence + ":" + last.ChainHash, result.Head);
        }

        [Theory]
        [InlineData(1024)]
        [InlineData(1025)]
        [InlineData(2049)]
        [InlineData(Count)]
        public void AChangedRecordFarIntoTheLog_IsDetectedAtThatRecord(long sequence)
        {
            using var folder = NewLog(out _);

            folder.Tamper("UPDATE audit_log SET user_id = 'mallory' WHERE sequence = $sequence;", ("$sequence", sequence));

            var result = folder.Verify();
            Assert.False(result.IsValid);
            Assert.Equal(sequence, result.FirstInvalidSequence);
        }

        [Fact]
        public void ARecordDeletedFarIntoTheLog_IsDetectedAtItsSequence()
        {
            using var folder = NewLog(out _);

            folder.Tamper("DELETE FROM audit_log WHERE sequence = 1025;");

            var result = folder.Verify();
            Assert.False(result.IsValid);
            Assert.Equal(1025, result.FirstInvalidSequence);
            Assert.Contains("record 1025 is missing", result.Reason, System.StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void ALinkBrokenFarIntoTheLog_IsDetected()
        {
            using var folder = NewLog(out _);

            folder.Tamper("UPDATE audit_log SET prev_mac = (SELECT mac FROM audit_log WHERE sequence = 1023) WHERE sequence = 1025;");

            var result = folder.Verify();
            Assert.False(result.IsValid);
            Assert.Equal(1025, result.FirstInvalidSequence);
        }

        [Fact]
        public void AnExpectedHeadFarIntoTheLog_IsFound()
        {
            using var folder = new AuditTestFolder();
            var records = folder.Log.Write(transaction =>
            {
                for (var i = 0; i < Count; i++)
                {
                    transaction.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "s" + i).Add("exchange", i % 2 == 0 ? "paper" : "coinbase"));
                }
            });
            var earlier = records[2_000];

            var result = folder.Verify(earlier.Sequence + ":" + earlier.ChainHash);

            Assert.True(result.IsValid, result.Reason);
        }

        private static AuditTestFolder NewLog(out AuditRecord last)
        {
            var folder = new AuditTestFolder();
            var records = folder.Log.Write(transaction =>
            {
                for (var i = 0; i < Count; i++)
                {
                    transaction.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "s" + i).Add("n", (long)i));
                }
            });
            last = records.Last();
            return folder;
        }
    }
}
