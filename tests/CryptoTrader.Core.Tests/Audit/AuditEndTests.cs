using System;
using System.IO;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.KeyStores;
using CryptoTrader.Core.Tests.Trading;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    /// <summary>
    /// The write path checks the chain's end (issue 17): a log whose end does not match its head stops every write
    /// until Repair-CtAuditLog records the incident; nothing heals itself; a database older than its key ring's anchor
    /// is refused.
    /// </summary>
    public class AuditEndTests
    {
        [Fact]
        public void ACutOffTail_StopsEveryWrite_AndStaysCutOff()
        {
            using var folder = new AuditTestFolder();
            folder.AppendMany(10);
            var head = File.ReadAllText(folder.HeadFilePath);
            folder.Tamper("DELETE FROM audit_log WHERE sequence > 6;");

            for (var i = 0; i < 3; i++)
            {
                AssertTampered(() => folder.AppendMany(1));
            }

            Assert.Equal(6, folder.RawCount());
            Assert.Equal(head, File.ReadAllText(folder.HeadFilePath));
            Assert.False(folder.Verify().IsValid);
        }

        [Fact]
        public void ADeletedHead_StopsEveryWrite_AndIsNotRecreated()
        {
            using var folder = new AuditTestFolder();
            folder.AppendMany(3);
            File.Delete(folder.HeadFilePath);

            AssertTampered(() => folder.AppendMany(1));

            Assert.False(File.Exists(folder.HeadFilePath));
            Assert.Equal(3, folder.RawCount());
        }

        [Theory]
        [InlineData("v2 9223372036854775807 " + Mac + " 0000000000000000000 - k0000000000000000 " + Mac)]
        [InlineData("v1 9223372036854775807 " + Mac + " k0000000000000000 " + Mac)]
        [InlineData("garbage")]
        [InlineData("")]
        public void AForgedOrDamagedHead_StopsEveryWrite_AndIsNeverAdvancedPast(string forged)
        {
            using var folder = new AuditTestFolder();
            folder.AppendMany(3);
            File.WriteAllText(folder.HeadFilePath, forged);

            AssertTampered(() => folder.AppendMany(1));
            AssertTampered(() => folder.AppendMany(1));

            Assert.Equal(forged, File.ReadAllText(folder.HeadFilePath));
            Assert.Equal(3, folder.RawCount());
        }

        [Fact]
        public void AnOlderHeadPutBack_StopsEveryWrite()
        {
            using var folder = new AuditTestFolder();
            folder.AppendMany(3);
            var older = File.ReadAllText(folder.HeadFilePath);
            folder.AppendMany(2);
            File.WriteAllText(folder.HeadFilePath, older);

            AssertTampered(() => folder.AppendMany(1));
        }

        [Fact]
        public void ALastRecordThatFailsItsMac_StopsEveryWrite()
        {
            using var folder = new AuditTestFolder();
            folder.AppendMany(7);
            folder.Tamper("UPDATE audit_log SET user_id = 'mallory' WHERE sequence = 7;");

            AssertTampered(() => folder.AppendMany(1));
        }

        [Fact]
        public void ACommitThatCrashedBeforeItsHeadWasConfirmed_IsAccepted()
        {
            // The head names the records being committed as pending before the commit, so a writer killed between
            // the commit and the head's confirmation leaves a log that the next writer accepts.
            using var folder = new AuditTestFolder();
            var records = folder.AppendMany(3);
            var chain = new AuditChain(folder.Ring);
            using (var head = new AuditHeadFile(folder.Home).Lock(createIfMissing: false))
            {
                head.Write(AuditHead.Committing(2, records[1].ChainHash, 3, records[2].ChainHash, chain));
            }

            folder.AppendMany(1);

            Assert.True(folder.Verify().IsValid);
        }

        [Fact]
        public void Repair_RecordsWhatWasCutOff_RevokesGrants_AndTheLogGoesOn_WithTheGapVisible()
        {
            using var t = new TradingTestFolder();
            t.Grant();
            t.Buy(0.01m);
            var before = t.Folder.RawCount();
            t.Folder.Tamper($"DELETE FROM audit_log WHERE sequence > {before - 2};");
            AssertTampered(() => t.Buy(0.01m));
            var repair = new AuditRepair(t.Database, t.Folder.Home, t.Ring, "incident-team");
            var found = repair.Inspect();
            Assert.Contains(found, f => f.Kind == "Head" && f.Problem.Contains("cut off"));

            var records = repair.Repair();

            var error = records[0];
            Assert.Equal(AuditEventType.Error, error.EventType);
            Assert.Equal("audit_log_repaired", error.Details["action"]);
            Assert.Equal("incident-team", error.Details["repaired_by"]);
            Assert.Contains(":", (string)error.Details["previous_head"]!);
            Assert.Contains(records, r => r.EventType == AuditEventType.PermissionChanged && Equals(r.Details["action"], "revoked"));
            Assert.Equal(GrantState.None, t.Permissions.Evaluate(t.Ring, TradingTestFolder.Paper, TradingTestFolder.Name).State);
            t.Grant();
            t.Buy(0.01m);
            var verification = t.Folder.Verify(detailed: true);
            Assert.True(verification.IsValid, verification.Reason);
            Assert.Contains("repair", verification.Reason);
            Assert.Contains(verification.Findings, f => f.Kind == "Repair" && f.RepairedAt == error.Sequence && f.Problem.Contains("cut off"));
            Assert.Empty(repair.Inspect());
        }

        [Fact]
        public void Repair_OfAChangedRecordInTheMiddle_KeepsItVisible_AndAChangeToTheRepairFailsAgain()
        {
            using var folder = new AuditTestFolder();
            folder.AppendMany(10);
            folder.Tamper("UPDATE audit_log SET user_id = 'mallory' WHERE sequence = 7;");
            Assert.Equal(7, folder.Verify().FirstInvalidSequence);

            var error = new AuditRepair(folder.Database, folder.Home, folder.Ring, "auditor").Repair()[0];

            var verification = folder.Verify(detailed: true);
            Assert.True(verification.IsValid, verification.Reason);
            var finding = Assert.Single(verification.Findings, f => f.Kind == "Changed");
            Assert.Equal(7, finding.Sequence);
            Assert.Equal(error.Sequence, finding.RepairedAt);
            folder.AppendMany(1);

            // Hiding or editing the repair record makes record 7 fail again.
            folder.Tamper($"UPDATE audit_log SET user_id = 'mallory' WHERE sequence = {error.Sequence};");
            Assert.Equal(7, folder.Verify().FirstInvalidSequence);
        }

        [Fact]
        public void Repair_WithNothingWrong_WritesNothing()
        {
            using var folder = new AuditTestFolder();
            folder.AppendMany(3);

            Assert.Empty(new AuditRepair(folder.Database, folder.Home, folder.Ring, "x").Repair());
            Assert.Equal(3, folder.RawCount());
        }

        [Fact]
        public void ADatabasePutBackFromBeforeARevocation_IsRefusedAsRolledBack_WithOrWithoutItsOldHead()
        {
            using var folder = new AuditTestFolder();
            var provider = new KeyRingProvider(folder.Home, new SettingsStore(folder.Database), new MemoryKeyStore(new SharedSlot()));
            var ring = provider.GetOrCreate();
            var log = new AuditLog(folder.Database, folder.Home, ring, "system", provider);
            log.Append(AuditEventType.PermissionChanged, new AuditDetails().Add("exchange", "paper").Add("name", "default").Add("action", "granted"));
            var saved = Snapshot(folder);
            var savedHead = File.ReadAllText(folder.HeadFilePath);
            log.Append(AuditEventType.PermissionChanged, new AuditDetails().Add("exchange", "paper").Add("name", "default").Add("action", "revoked"));
            Assert.Equal(2, AuditAnchor.SequenceOf(provider.Reload().AuditAnchor));

            Restore(folder, saved);
            var current = provider.Reload();
            var e = Assert.ThrowsAny<CtException>(() => new AuditLog(folder.Database, folder.Home, current, "system", provider).Append(AuditEventType.ConfigChanged, new AuditDetails()));
            Assert.Equal(ErrorIds.AuditLogRolledBack, e.ErrorId);

            File.WriteAllText(folder.HeadFilePath, savedHead);
            e = Assert.ThrowsAny<CtException>(() => new AuditLog(folder.Database, folder.Home, current, "system", provider).Append(AuditEventType.ConfigChanged, new AuditDetails()));
            Assert.Equal(ErrorIds.AuditLogRolledBack, e.ErrorId);
            Assert.Contains(new AuditVerifier(folder.Database, folder.Home, current).Verify().Findings, f => f.Kind == "Rollback");

            // Repair records the rollback and re-anchors the ring on its own record.
            var repaired = new AuditRepair(folder.Database, folder.Home, current, "system", provider).Repair();
            Assert.Equal(AuditAnchor.Of(repaired[0]), provider.Reload().AuditAnchor);
            new AuditLog(folder.Database, folder.Home, provider.Reload(), "system", provider).Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "x"));
        }

        [Fact]
        public void OnlySecurityRelevantRecords_MoveTheAnchor()
        {
            using var folder = new AuditTestFolder();
            var provider = new KeyRingProvider(folder.Home, new SettingsStore(folder.Database), new MemoryKeyStore(new SharedSlot()));
            var log = new AuditLog(folder.Database, folder.Home, provider.GetOrCreate(), "system", provider);

            var key = log.Append(AuditEventType.ApiKeyChanged, new AuditDetails().Add("exchange", "paper").Add("name", "a"));
            log.Append(AuditEventType.TradeRequested, new AuditDetails().Add("exchange", "paper").Add("name", "a"));
            log.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "PaperAccount"));

            Assert.Equal(AuditAnchor.Of(key), provider.Reload().AuditAnchor);
        }

        [Fact]
        public void SinceCheckpoint_WalksOnlyTheNewRecords_ButStillChecksTheEnd()
        {
            using var folder = new AuditTestFolder();
            folder.AppendMany(20);
            Assert.True(new AuditVerifier(folder.Database, folder.Home, folder.Ring).Verify(keepCheckpoint: true).IsValid);
            folder.AppendMany(5);

            var incremental = new AuditVerifier(folder.Database, folder.Home, folder.Ring).Verify(sinceCheckpoint: true);

            Assert.True(incremental.IsValid, incremental.Reason);
            Assert.Equal(21, incremental.VerifiedFrom);
            Assert.Contains("after the checkpoint at record 20", incremental.Reason);
            // A change before the checkpoint is what only a full verification sees.
            folder.Tamper("UPDATE audit_log SET user_id = 'mallory' WHERE sequence = 3;");
            Assert.True(new AuditVerifier(folder.Database, folder.Home, folder.Ring).Verify(sinceCheckpoint: true).IsValid);
            Assert.Equal(3, folder.Verify().FirstInvalidSequence);
            // A change after it, or a cut-off end, is found.
            folder.AppendMany(1);
            folder.Tamper("UPDATE audit_log SET user_id = 'mallory' WHERE sequence = 26;");
            Assert.Equal(26, new AuditVerifier(folder.Database, folder.Home, folder.Ring).Verify(sinceCheckpoint: true).FirstInvalidSequence);
        }

        [Fact]
        public void OnlyAVerificationAskedToKeepTheCheckpoint_MovesIt()
        {
            using var folder = new AuditTestFolder();
            folder.AppendMany(10);
            Assert.True(new AuditVerifier(folder.Database, folder.Home, folder.Ring).Verify(keepCheckpoint: true).IsValid);
            folder.AppendMany(5);

            // A report (Test-CtSecurity's audit check) verifies everything and leaves the checkpoint where it was.
            Assert.True(new AuditVerifier(folder.Database, folder.Home, folder.Ring).Verify().IsValid);
            Assert.Equal(11, new AuditVerifier(folder.Database, folder.Home, folder.Ring).Verify(sinceCheckpoint: true).VerifiedFrom);

            Assert.True(new AuditVerifier(folder.Database, folder.Home, folder.Ring).Verify(sinceCheckpoint: true, keepCheckpoint: true).IsValid);
            Assert.Equal(16, new AuditVerifier(folder.Database, folder.Home, folder.Ring).Verify(sinceCheckpoint: true).VerifiedFrom);
        }

        [Fact]
        public void AForgedOrStaleCheckpoint_IsNotUsed()
        {
            using var folder = new AuditTestFolder();
            folder.AppendMany(10);
            Assert.True(new AuditVerifier(folder.Database, folder.Home, folder.Ring).Verify(keepCheckpoint: true).IsValid);
            folder.Tamper($"UPDATE settings SET value = '10 {Mac} {folder.Ring.Primary.Id} {Mac}' WHERE name = 'audit_checkpoint';");

            var result = new AuditVerifier(folder.Database, folder.Home, folder.Ring).Verify(sinceCheckpoint: true);

            Assert.True(result.IsValid);
            Assert.Equal(1, result.VerifiedFrom);
            Assert.Contains("no usable checkpoint", result.Reason);
        }

        private const string Mac = "0000000000000000000000000000000000000000000000000000000000000000";

        private static void AssertTampered(Action write) =>
            Assert.Equal(ErrorIds.AuditLogTampered, Assert.ThrowsAny<CtException>(write).ErrorId);

        private static byte[] Snapshot(AuditTestFolder folder)
        {
            SqliteConnection.ClearAllPools();
            using var raw = folder.OpenRaw();
            CtDatabase.Execute(raw, "PRAGMA wal_checkpoint(TRUNCATE);");
            return File.ReadAllBytes(folder.Home.DatabasePath);
        }

        private static void Restore(AuditTestFolder folder, byte[] saved)
        {
            SqliteConnection.ClearAllPools();
            using (var raw = folder.OpenRaw())
            {
                CtDatabase.Execute(raw, "PRAGMA wal_checkpoint(TRUNCATE);");
            }
            // Copy the old file's pages over the live database through SQLite, as putting back a backup copy does.
            var backup = Path.Combine(folder.Path, "saved.db");
            File.WriteAllBytes(backup, saved);
            using var target = folder.OpenRaw();
            using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = backup, Pooling = false }.ToString());
            source.Open();
            source.BackupDatabase(target);
        }
    }
}
