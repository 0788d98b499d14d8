using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    /// <summary>Key rotation must not break the chain: each record names the key that sealed it.</summary>
    public class AuditRotationTests
    {
        [Fact]
        public void RecordsSealedUnderOlderKeys_StillVerifyAfterRotation()
        {
            using var folder = Rotated(out var ringB, out var first, out var a, out var b);

            var all = folder.ReadAll();
            Assert.Equal(new[] { first.Id, first.Id, a.Id, a.Id, b.Id, b.Id }, all.Select(r => r.KeyId));
            Assert.All(all.Skip(1), r => Assert.Equal(all[(int)r.Sequence - 2].ChainHash, r.PreviousHash));

            var result = folder.Verify(ringB);
            Assert.True(result.IsValid, result.Reason);
            Assert.Equal(6, result.RecordCount);

            // Retired keys still verify.
            var retired = ringB.WithRetired(first.Id).WithRetired(a.Id);
            Assert.True(folder.Verify(retired).IsValid);
        }

        [Fact]
        public void RingLackingAKey_ReportsTheFirstRecordSealedWithIt()
        {
            using var folder = Rotated(out var ringB, out var first, out var a, out _);

            var withoutA = folder.Verify(ringB.Remove(a.Id));
            AuditTamperingTests.AssertInvalidAt(withoutA, 3);
            Assert.Contains(a.Id, withoutA.Reason);

            var withoutFirst = folder.Verify(ringB.Remove(first.Id));
            AuditTamperingTests.AssertInvalidAt(withoutFirst, 1);
            Assert.Contains(first.Id, withoutFirst.Reason);
        }

        [Fact]
        public void TheOldRing_CannotVerifyRecordsSealedWithTheNewKey()
        {
            using var folder = Rotated(out _, out _, out var a, out _);

            // The original one-key ring (as the folder holds it) knows neither A nor B.
            var result = folder.Verify(folder.Ring);
            AuditTamperingTests.AssertInvalidAt(result, 3);
            Assert.Contains(a.Id, result.Reason);
        }

        /// <summary>Records 1-2 under the first key, 3-4 under A, 5-6 under B.</summary>
        private static AuditTestFolder Rotated(out KeyRing ringB, out KeyRingEntry first, out KeyRingEntry a, out KeyRingEntry b)
        {
            var folder = new AuditTestFolder();
            first = folder.Ring.Primary;
            folder.AppendMany(2);
            var ringA = folder.Ring.WithNewPrimary(out a);
            var logA = new AuditLog(folder.Database, folder.Home, ringA, "system");
            logA.Append(AuditEventType.EncryptionKeyRotated, new AuditDetails().Add("key_id", a.Id));
            logA.Append(AuditEventType.ConfigChanged, new AuditDetails());
            ringB = ringA.WithNewPrimary(out b);
            var logB = new AuditLog(folder.Database, folder.Home, ringB, "system");
            logB.Append(AuditEventType.EncryptionKeyRotated, new AuditDetails().Add("key_id", b.Id));
            logB.Append(AuditEventType.ConfigChanged, new AuditDetails());
            return folder;
        }
    }
}
