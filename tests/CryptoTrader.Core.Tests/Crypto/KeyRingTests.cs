using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    public class KeyRingTests
    {
        private static readonly byte[] Secret = Encoding.UTF8.GetBytes("exchange-api-secret");

        [Fact]
        public void CreateNew_HasOneUsablePrimary()
        {
            DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-1);
            KeyRing ring = KeyRing.CreateNew();

            KeyRingEntry primary = Assert.Single(ring.Keys);
            Assert.Same(primary, ring.Primary);
            Assert.False(primary.Retired);
            Assert.Equal(TimeSpan.Zero, primary.Created.Offset);
            Assert.InRange(primary.Created, before, DateTimeOffset.UtcNow);
            Assert.Equal(Secret, ring.Decrypt(ring.Encrypt(Secret).Token, primary.Id));
        }

        [Fact]
        public void KeyId_IsTruncatedDomainSeparatedSha256OfTheKey()
        {
            FernetKey key = FernetKey.Generate();
            byte[] input = Encoding.UTF8.GetBytes("CryptoTrader.KeyId.v1").Concat(key.CopyBytes()).ToArray();
            string expected = "k" + TestBytes.Hex(TestBytes.Sha256(input)).Substring(0, 16);

            KeyRing ring = KeyRing.ParseKeyList(key.ToBase64Url());

            Assert.Equal(expected, KeyRingEntry.ComputeId(key));
            Assert.Equal(expected, ring.Primary.Id);
            Assert.Equal(expected, KeyRing.ParseKeyList(key.ToBase64Url()).Primary.Id);
        }

        [Fact]
        public void Encrypt_ReportsThePrimaryKeyId()
        {
            KeyRing ring = KeyRing.CreateNew().WithNewPrimary(out KeyRingEntry added);

            EncryptedValue value = ring.Encrypt(Secret);

            Assert.Equal(added.Id, value.KeyId);
            Assert.Equal(Secret, Fernet.Decrypt(added.Key, value.Token));
        }

        [Fact]
        public void AfterAddingAPrimary_OldTokensStillDecrypt_AndNewOnesUseTheNewKey()
        {
            KeyRing original = KeyRing.CreateNew();
            EncryptedValue old = original.Encrypt(Secret);

            KeyRing rotated = original.WithNewPrimary(out KeyRingEntry added);

            Assert.Equal(2, rotated.Keys.Count);
            Assert.Same(added, rotated.Primary);
            Assert.NotEqual(old.KeyId, added.Id);
            Assert.Equal(Secret, rotated.Decrypt(old.Token, old.KeyId));
            Assert.Equal(Secret, rotated.Decrypt(old.Token));
            Assert.Equal(added.Id, rotated.Encrypt(Secret).KeyId);
        }

        [Fact]
        public void ChangingMethods_LeaveTheOriginalRingUntouched()
        {
            KeyRing original = KeyRing.CreateNew();
            string before = original.Serialize();

            KeyRing rotated = original.WithNewPrimary(out _);
            rotated.WithRetired(original.Primary.Id).Remove(original.Primary.Id);

            Assert.Single(original.Keys);
            Assert.Equal(before, original.Serialize());
            Assert.Equal(2, rotated.Keys.Count);
        }

        [Fact]
        public void ReEncrypt_MovesTheValueToTheNewPrimary()
        {
            KeyRing original = KeyRing.CreateNew();
            EncryptedValue old = original.Encrypt(Secret);
            KeyRing rotated = original.WithNewPrimary(out KeyRingEntry added);

            string token = rotated.ReEncrypt(old.Token, old.KeyId, out string newKeyId);

            Assert.Equal(added.Id, newKeyId);
            Assert.Equal(Secret, Fernet.Decrypt(added.Key, token));
            Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(original.Primary.Key, token));
        }

        [Fact]
        public void RetiredKeys_StillDecrypt_ButCannotBecomePrimary()
        {
            KeyRing original = KeyRing.CreateNew();
            EncryptedValue old = original.Encrypt(Secret);
            KeyRing ring = original.WithNewPrimary(out _).WithRetired(old.KeyId);

            Assert.True(ring.Get(old.KeyId).Retired);
            Assert.Equal(Secret, ring.Decrypt(old.Token, old.KeyId));
            Assert.Throws<InvalidOperationException>(() => ring.WithPrimary(old.KeyId));
        }

        [Fact]
        public void WithPrimary_PromotesAnExistingKey()
        {
            KeyRing original = KeyRing.CreateNew();
            KeyRing ring = original.WithNewPrimary(out _).WithPrimary(original.Primary.Id);

            Assert.Equal(original.Primary.Id, ring.Primary.Id);
            Assert.Equal(original.Primary.Id, ring.Encrypt(Secret).KeyId);
        }

        [Fact]
        public void ThePrimary_CannotBeRemovedOrRetired()
        {
            KeyRing ring = KeyRing.CreateNew().WithNewPrimary(out KeyRingEntry added);

            Assert.Throws<InvalidOperationException>(() => ring.Remove(added.Id));
            Assert.Throws<InvalidOperationException>(() => ring.WithRetired(added.Id));
            Assert.Equal(2, ring.Keys.Count);
        }

        [Fact]
        public void Remove_DropsTheKey_AndItsTokensNoLongerDecrypt()
        {
            KeyRing original = KeyRing.CreateNew();
            EncryptedValue old = original.Encrypt(Secret);

            KeyRing ring = original.WithNewPrimary(out _).Remove(old.KeyId);

            Assert.Single(ring.Keys);
            Assert.Null(ring.Find(old.KeyId));
            KeyNotFoundInKeyRingException error = Assert.Throws<KeyNotFoundInKeyRingException>(() => ring.Decrypt(old.Token, old.KeyId));
            Assert.Contains(old.KeyId, error.Message, StringComparison.Ordinal);
            Assert.Equal(old.KeyId, error.KeyId);
            Assert.Throws<InvalidFernetTokenException>(() => ring.Decrypt(old.Token));
        }

        [Fact]
        public void Get_UnknownId_Throws_AndMalformedIdsAreNotEchoed()
        {
            KeyRing ring = KeyRing.CreateNew();
            string stray = FernetKey.Generate().ToBase64Url();

            Assert.Contains("k0123456789abcdef", Assert.Throws<KeyNotFoundInKeyRingException>(() => ring.Get("k0123456789abcdef")).Message, StringComparison.Ordinal);
            Assert.DoesNotContain(stray, Assert.Throws<KeyNotFoundInKeyRingException>(() => ring.Get(stray)).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void WithNewPrimary_RefusesAKeyAlreadyInTheRing()
        {
            KeyRing ring = KeyRing.CreateNew();

            Assert.Throws<InvalidOperationException>(() => ring.WithNewPrimary(ring.Primary.Key, out _));
        }

        [Fact]
        public void DecryptWithoutId_RejectsTokensFromForeignKeys()
        {
            KeyRing ring = KeyRing.CreateNew().WithNewPrimary(out _);
            string foreign = Fernet.Encrypt(FernetKey.Generate(), Secret);

            Assert.Throws<InvalidFernetTokenException>(() => ring.Decrypt(foreign));
        }

        [Fact]
        public void DecryptWithId_UsesOnlyThatKey()
        {
            KeyRing original = KeyRing.CreateNew();
            EncryptedValue old = original.Encrypt(Secret);
            KeyRing ring = original.WithNewPrimary(out KeyRingEntry added);

            Assert.Throws<InvalidFernetTokenException>(() => ring.Decrypt(old.Token, added.Id));
        }

        [Fact]
        public void Subkeys_AreDeterministic_AndDifferPerPurposeAndPerKey()
        {
            KeyRing ring = KeyRing.CreateNew().WithNewPrimary(out KeyRingEntry second);
            string first = ring.Keys[0].Id;
            KeyRing copy = KeyRing.Deserialize(ring.Serialize());

            byte[] audit = ring.DeriveSubkey(first, SubkeyPurpose.AuditChain);
            byte[] fingerprint = ring.DeriveSubkey(first, SubkeyPurpose.Fingerprint);
            byte[] grant = ring.DeriveSubkey(first, SubkeyPurpose.PermissionGrant);

            Assert.Equal(32, audit.Length);
            Assert.Equal(audit, copy.DeriveSubkey(first, SubkeyPurpose.AuditChain));
            Assert.Equal(3, new[] { audit, fingerprint, grant }.Select(TestBytes.Hex).Distinct().Count());
            Assert.NotEqual(audit, ring.DeriveSubkey(second.Id, SubkeyPurpose.AuditChain));
            Assert.Equal(64, ring.DeriveSubkey(first, SubkeyPurpose.AuditChain, 64).Length);
        }

        [Fact]
        public void Subkey_IsHkdfSha256WithTheDocumentedSaltAndInfo()
        {
            KeyRing ring = KeyRing.CreateNew();
            // RFC 5869 for one 32-byte block, from HMAC alone (net472 has no HKDF class): extract, then expand.
            byte[] pseudorandomKey = TestBytes.HmacSha256(Encoding.UTF8.GetBytes("CryptoTrader.Subkey.v1"), ring.Primary.Key.CopyBytes());
            byte[] expected = TestBytes.HmacSha256(pseudorandomKey, Encoding.UTF8.GetBytes("audit-chain-mac").Concat(new byte[] { 1 }).ToArray());

            Assert.Equal(expected, ring.DeriveSubkey(ring.Primary.Id, SubkeyPurpose.AuditChain));
        }

        [Fact]
        public void ParseKeyList_OneKey()
        {
            FernetKey key = FernetKey.Generate();

            KeyRing ring = KeyRing.ParseKeyList(key.ToBase64Url() + "\n");

            KeyRingEntry entry = Assert.Single(ring.Keys);
            Assert.Equal(key.ToBase64Url(), entry.Key.ToBase64Url());
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(0), entry.Created);
            Assert.False(entry.Retired);
        }

        [Fact]
        public void ParseKeyList_SeveralKeys_FirstIsPrimary()
        {
            FernetKey[] keys = { FernetKey.Generate(), FernetKey.Generate(), FernetKey.Generate() };
            string list = keys[0].ToBase64Url() + ", " + keys[1].ToBase64Url() + "\n\t" + keys[2].ToBase64Url();

            KeyRing ring = KeyRing.ParseKeyList(list);

            Assert.Equal(keys.Select(KeyRingEntry.ComputeId), ring.Keys.Select(k => k.Id));
            Assert.Equal(KeyRingEntry.ComputeId(keys[0]), ring.Primary.Id);
            Assert.Equal(Secret, ring.Decrypt(Fernet.Encrypt(keys[2], Secret)));
        }

        [Fact]
        public void ParseKeyList_BadKey_GivesFormatExceptionWithoutTheText()
        {
            string good = FernetKey.Generate().ToBase64Url();
            string bad = "c2VjcmV0LWJ1dC1ub3QtMzItYnl0ZXM=";

            FormatException error = Assert.Throws<FormatException>(() => KeyRing.ParseKeyList(good + "," + bad));

            Assert.Contains("#2", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(bad, error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(good, error.ToString(), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("")]
        [InlineData(" ,\n ")]
        public void ParseKeyList_WithoutKeys_IsRejected(string value)
        {
            Assert.Throws<FormatException>(() => KeyRing.ParseKeyList(value));
        }

        [Fact]
        public void ParseKeyList_RepeatedKey_IsRejected()
        {
            string key = FernetKey.Generate().ToBase64Url();

            FormatException error = Assert.Throws<FormatException>(() => KeyRing.ParseKeyList(key + "," + key));

            Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ToStrings_NeverRevealKeys()
        {
            KeyRing ring = KeyRing.CreateNew().WithNewPrimary(out KeyRingEntry added);
            EncryptedValue value = ring.Encrypt(Secret);
            string text = ring + " " + added + " " + added.Key + " " + value;

            foreach (KeyRingEntry entry in ring.Keys)
            {
                Assert.DoesNotContain(entry.Key.ToBase64Url(), text, StringComparison.Ordinal);
                Assert.DoesNotContain(entry.Key.ToBase64Url().Substring(0, 12), text, StringComparison.Ordinal);
            }

            Assert.Equal(added.Id, added.ToString());
            Assert.Contains(added.Id, ring.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(value.Token, value.ToString(), StringComparison.Ordinal);
        }
    }
}
