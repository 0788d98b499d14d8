using System;
using System.Security.Cryptography;
using System.Text;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    public class FingerprintTests
    {
        [Fact]
        public void Compute_IsPrefixedTruncatedHmac()
        {
            byte[] subkey = SecureRandom.Bytes(32);
            string expected = "fp:" + TestBytes.Hex(TestBytes.HmacSha256(subkey, Encoding.UTF8.GetBytes("API-KEY-123"))).Substring(0, 16);

            Assert.Equal(expected, Fingerprint.Compute(subkey, "API-KEY-123"));
        }

        [Fact]
        public void Compute_IsDeterministic_KeyedAndDoesNotContainTheValue()
        {
            KeyRing ring = KeyRing.CreateNew().WithNewPrimary(out KeyRingEntry second);
            byte[] first = ring.DeriveSubkey(ring.Keys[0].Id, SubkeyPurpose.Fingerprint);
            byte[] other = ring.DeriveSubkey(second.Id, SubkeyPurpose.Fingerprint);
            const string value = "secret-value";

            string fingerprint = Fingerprint.Compute(first, value);

            Assert.Matches("^fp:[0-9a-f]{16}$", fingerprint);
            Assert.Equal(fingerprint, Fingerprint.Compute(first, value));
            Assert.NotEqual(fingerprint, Fingerprint.Compute(other, value));
            Assert.NotEqual(fingerprint, Fingerprint.Compute(first, value + "x"));
            Assert.DoesNotContain(value, fingerprint, StringComparison.Ordinal);
        }

        [Fact]
        public void Compute_RejectsAnEmptySubkey()
        {
            Assert.Throws<ArgumentException>(() => Fingerprint.Compute(Array.Empty<byte>(), "x"));
        }
    }
}
