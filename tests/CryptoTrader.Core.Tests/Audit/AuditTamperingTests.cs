using System.Collections.Generic;
using System.IO;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    /// <summary>
    /// Invariant 5: every change to the rows made outside the module (after dropping the append-only
    /// triggers, which anyone holding the file can do) is detected, naming the first bad record.
    /// </summary>
    public class AuditTamperingTests
    {
        private const int Count = 6;
        private static readonly string FakeMac = new string('a', 64);

        [Fact]
        public void Untouched_IsValid()
        {
            using var folder = NewLog(out _);
            var result = folder.Verify();
            Assert.True(result.IsValid, result.Reason);
            Assert.Equal(Count, result.RecordCount);
        }

        [Theory]
        [InlineData("timestamp", "2020-01-01T00:00:00Z")]
        [InlineData("event_type", "ERROR")]
        [InlineData("user_id", "mallory")]
        [InlineData("details", "{\"setting\":\"Setting3\",\"n\":4}")]
        [InlineData("key_id", "k0123456789abcdef")]
        [InlineData("mac", "0000000000000000000000000000000000000000000000000000000000000000")]
        [InlineData("prev_mac", "0000000000000000000000000000000000000000000000000000000000000000")]
        public void ChangedField_IsDetectedAtThatRecord(string column, string value)
        {
            using var folder = NewLog(out _);

            folder.Tamper($"UPDATE audit_log SET {column} = $value WHERE sequence = 3;", ("$value", value));
            Assert.Equal(value, folder.RawScalar($"SELECT {column} FROM audit_log WHERE sequence = 3;"));

            AssertInvalidAt(folder.Verify(), 3);
        }

        [Fact]
        public void ChangedExchangeColumn_IsDetected()
        {
            // The exchange column drives Get-CtAuditLog -Exchange; rewriting it would hide a record from that filter.
            using var folder = new AuditTestFolder();
            folder.AppendMany(2);
            folder.Log.Append(AuditEventType.ApiKeyChanged, new AuditDetails().Add("exchange", "coinbase").Add("action", "updated"));
            folder.AppendMany(2);
            Assert.True(folder.Verify().IsValid);
            Assert.Single(folder.Reader.Read(new AuditQuery { Exchange = "coinbase" }));

            folder.Tamper("UPDATE audit_log SET exchange = 'paper' WHERE sequence = 3;");
            Assert.Empty(folder.Reader.Read(new AuditQuery { Exchange = "coinbase" }));

            AssertInvalidAt(folder.Verify(), 3);
        }

        [Fact]
        public void ExchangeColumnSetOnARecordWithoutExchange_IsDetected()
        {
            using var folder = NewLog(out _);

            folder.Tamper("UPDATE audit_log SET exchange = 'coinbase' WHERE sequence = 4;");

            AssertInvalidAt(folder.Verify(), 4);
        }

        [Fact]
        public void DeletedMiddleRecord_IsDetectedAtThatRecord()
        {
            using var folder = NewLog(out _);

            folder.Tamper("DELETE FROM audit_log WHERE sequence = 3;");

            var result = folder.Verify();
            AssertInvalidAt(result, 3);
            Assert.Equal(Count - 1, result.RecordCount);
        }

        [Fact]
        public void DeletedFirstRecord_IsDetectedAtRecord1()
        {
            using var folder = NewLog(out _);

            folder.Tamper("DELETE FROM audit_log WHERE sequence = 1;");

            AssertInvalidAt(folder.Verify(), 1);
        }

        [Fact]
        public void ForgedRowInsertedInTheMiddleByRenumbering_IsDetectedAtTheForgedRow()
        {
            using var folder = NewLog(out var records);

            // Make room at 3 (records 3..6 become 4..7), then insert a forged record that links to record 2.
            folder.Tamper(
                "UPDATE audit_log SET sequence = sequence + 1000 WHERE sequence >= 3; " +
                "UPDATE audit_log SET sequence = sequence - 999 WHERE sequence >= 1000; " +
                "INSERT INTO audit_log (sequence, timestamp, event_type, user_id, details, exchange, key_id, prev_mac, mac) " +
                "VALUES (3, $ts, 'CONFIG_CHANGED', 'system', '{\"setting\":\"TradingEnabled\"}', NULL, $key, $prev, $mac);",
                ("$ts", records[2].TimestampText), ("$key", folder.Ring.Primary.Id), ("$prev", records[1].ChainHash), ("$mac", FakeMac));
            Assert.Equal(Count + 1L, folder.RawCount());

            AssertInvalidAt(folder.Verify(), 3);
        }

        [Fact]
        public void ForgedRowAppendedAtTheEnd_IsDetected()
        {
            using var folder = NewLog(out var records);

            folder.Tamper(
                "INSERT INTO audit_log (sequence, timestamp, event_type, user_id, details, exchange, key_id, prev_mac, mac) " +
                "VALUES ($seq, $ts, 'CONFIG_CHANGED', 'system', '{}', NULL, $key, $prev, $mac);",
                ("$seq", Count + 1L), ("$ts", records.Last().TimestampText), ("$key", folder.Ring.Primary.Id),
                ("$prev", records.Last().ChainHash), ("$mac", FakeMac));

            AssertInvalidAt(folder.Verify(), Count + 1);
        }

        [Fact]
        public void SwappedRows_AreDetectedAtTheFirstSwappedPosition()
        {
            using var folder = NewLog(out _);

            folder.Tamper(
                "UPDATE audit_log SET sequence = -3 WHERE sequence = 3; " +
                "UPDATE audit_log SET sequence = 3 WHERE sequence = 4; " +
                "UPDATE audit_log SET sequence = 4 WHERE sequence = -3;");

            AssertInvalidAt(folder.Verify(), 3);
        }

        [Fact]
        public void SwappedContentsKeepingTheChainColumns_AreDetectedAtTheFirstSwappedPosition()
        {
            using var folder = NewLog(out _);

            // Only the described event moves; sequence, prev_mac and mac stay where they were.
            folder.Tamper(
                "CREATE TEMP TABLE saved AS SELECT * FROM audit_log WHERE sequence IN (3, 4); " +
                "UPDATE audit_log SET timestamp = (SELECT timestamp FROM saved WHERE sequence = 4), details = (SELECT details FROM saved WHERE sequence = 4) WHERE sequence = 3; " +
                "UPDATE audit_log SET timestamp = (SELECT timestamp FROM saved WHERE sequence = 3), details = (SELECT details FROM saved WHERE sequence = 3) WHERE sequence = 4;");

            AssertInvalidAt(folder.Verify(), 3);
        }

        [Fact]
        public void CutOffTail_IsDetectedThroughTheHeadFile()
        {
            using var folder = NewLog(out _);

            folder.Tamper("DELETE FROM audit_log WHERE sequence > 4;");
            Assert.True(File.Exists(folder.HeadFilePath));

            var result = folder.Verify();
            AssertInvalidAt(result, 5);
            Assert.Equal(4, result.RecordCount);
            Assert.Contains("cut off", result.Reason);
        }

        [Fact]
        public void CutOffTail_IsDetectedThroughAnEarlierExpectedHead()
        {
            using var folder = NewLog(out var records);
            var earlierHead = records[4].Head; // "5:<hash>"

            folder.Tamper("DELETE FROM audit_log WHERE sequence > 3;");

            AssertInvalidAt(folder.Verify(earlierHead), 4);
        }

        [Fact]
        public void CutOffTailWithHeadFileDeleted_IsDetectedThroughExpectedHead()
        {
            using var folder = NewLog(out var records);
            var earlierHead = records[4].Head;

            folder.Tamper("DELETE FROM audit_log WHERE sequence > 4;");
            File.Delete(folder.HeadFilePath);

            var result = folder.Verify(earlierHead);
            AssertInvalidAt(result, 5);
            Assert.Contains("cut off", result.Reason);
        }

        [Fact]
        public void DeletedHeadFile_IsReported()
        {
            using var folder = NewLog(out _);

            File.Delete(folder.HeadFilePath);

            var result = folder.Verify();
            Assert.False(result.IsValid);
            Assert.Contains("head file", result.Reason);
        }

        [Theory]
        [InlineData(5)]
        [InlineData(7)]
        public void AlteredHeadFileSequence_IsDetected(long newSequence)
        {
            using var folder = NewLog(out _);
            var parts = File.ReadAllText(folder.HeadFilePath).Split(' ');
            Assert.Equal(Count, long.Parse(parts[1]));

            parts[1] = newSequence.ToString();
            File.WriteAllText(folder.HeadFilePath, string.Join(" ", parts));

            var result = folder.Verify();
            Assert.False(result.IsValid);
            Assert.Contains("altered", result.Reason);
        }

        [Fact]
        public void ChainResealedWithAnotherKeyRing_IsDetectedAtRecord1()
        {
            using var folder = NewLog(out _);
            var attacker = KeyRing.CreateNew();

            Reseal(folder, attacker, keyIdOverride: null);
            ForgeHeadFile(folder, attacker);

            var result = folder.Verify();
            AssertInvalidAt(result, 1);
            // The forgery is internally consistent: under the attacker's own ring it verifies.
            Assert.True(folder.Verify(attacker).IsValid);
        }

        [Fact]
        public void ChainResealedWithAnotherKeyUnderTheGenuineKeyId_IsDetectedAtRecord1()
        {
            using var folder = NewLog(out _);
            var attacker = KeyRing.CreateNew();

            Reseal(folder, attacker, keyIdOverride: folder.Ring.Primary.Id);

            AssertInvalidAt(folder.Verify(), 1);
        }

        [Fact]
        public void ResealedWithTheGenuineRing_Verifies_ControlForTheResealTests()
        {
            // Control: resealing with the genuine ring yields a valid chain, so the reseal tests above fail
            // only because the attacker's key differs (and not because Reseal itself is broken).
            using var folder = NewLog(out _);
            folder.Tamper("UPDATE audit_log SET user_id = 'mallory' WHERE sequence = 2;");
            AssertInvalidAt(folder.Verify(), 2);

            Reseal(folder, folder.Ring, keyIdOverride: null);
            // The rewritten chain no longer ends in the head the module recorded.
            AssertInvalidAt(folder.Verify(), Count);

            ForgeHeadFile(folder, folder.Ring);
            var result = folder.Verify();
            Assert.True(result.IsValid, result.Reason);
        }

        internal static void AssertInvalidAt(CryptoTrader.AuditVerification result, long sequence)
        {
            Assert.False(result.IsValid, "expected an invalid log, got: " + result);
            Assert.Equal(sequence, result.FirstInvalidSequence);
            Assert.False(string.IsNullOrEmpty(result.Reason));
        }

        private static AuditTestFolder NewLog(out List<CryptoTrader.AuditRecord> records)
        {
            var folder = new AuditTestFolder();
            records = folder.AppendMany(Count);
            return folder;
        }

        /// <summary>What an attacker with his own key ring can do: recompute every MAC (and optionally the key ids).</summary>
        private static void Reseal(AuditTestFolder folder, KeyRing ring, string? keyIdOverride)
        {
            var chain = new AuditChain(ring);
            var keyId = keyIdOverride ?? ring.Primary.Id;
            var rows = new List<(long Seq, string Ts, string Type, string User, string Details)>();
            using (var connection = folder.OpenRaw())
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT sequence, timestamp, event_type, user_id, details FROM audit_log ORDER BY sequence;";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
                }
            }
            var previous = string.Empty;
            foreach (var row in rows)
            {
                // MACs under the attacker's own key. With a key id override he stores them under the genuine id
                // (he cannot derive the genuine key's subkey, so that is the best forgery he can make).
                var mac = chain.Mac(row.Seq, row.Ts, row.Type, row.User, row.Details, ring.Primary.Id, previous);
                folder.Tamper("UPDATE audit_log SET key_id = $key, prev_mac = $prev, mac = $mac WHERE sequence = $seq;",
                    ("$key", keyId), ("$prev", previous), ("$mac", mac), ("$seq", row.Seq));
                previous = mac;
            }
        }

        /// <summary>A head for the rewritten chain under <paramref name="ring"/>, and the audit state reset to the row the migration leaves.</summary>
        private static void ForgeHeadFile(AuditTestFolder folder, KeyRing ring)
        {
            folder.Tamper("UPDATE audit_state SET facts = '', key_id = NULL, mac = NULL;");
            var last = folder.RawScalar("SELECT sequence || ' ' || mac FROM audit_log ORDER BY sequence DESC LIMIT 1;")!.ToString()!.Split(' ');
            File.Delete(folder.HeadFilePath);
            using var head = new AuditHeadFile(folder.Home).Lock(createIfMissing: true);
            head.Write(AuditHead.Committed(long.Parse(last[0]), last[1], new AuditChain(ring)));
        }
    }
}
