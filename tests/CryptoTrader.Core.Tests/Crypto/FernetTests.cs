using System;
using System.Text;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    public class FernetTests
    {
        private const string SpecSecret = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
        private const string SpecToken = "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==";

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(15)]
        [InlineData(16)]
        [InlineData(17)]
        [InlineData(1048576)]
        public void EncryptThenDecrypt_ReturnsThePlaintext(int size)
        {
            FernetKey key = FernetKey.Generate();
            byte[] plaintext = SecureRandom.Bytes(size);

            string token = Fernet.Encrypt(key, plaintext);

            Assert.StartsWith("gAAAAA", token, StringComparison.Ordinal);
            Assert.True(plaintext.AsSpan().SequenceEqual(Fernet.Decrypt(key, token)));
        }

        [Fact]
        public void EncryptingTwice_GivesDifferentTokens()
        {
            FernetKey key = FernetKey.Generate();
            byte[] plaintext = Encoding.UTF8.GetBytes("same");

            Assert.NotEqual(Fernet.Encrypt(key, plaintext), Fernet.Encrypt(key, plaintext));
        }

        [Fact]
        public void DecryptWithAnotherKey_IsRejected_WithoutRevealingKeyOrPlaintext()
        {
            FernetKey key = FernetKey.Generate();
            FernetKey other = FernetKey.Generate();
            string token = Fernet.Encrypt(key, Encoding.UTF8.GetBytes("top-secret-plaintext"));

            InvalidFernetTokenException error = Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(other, token));

            Assert.IsAssignableFrom<System.Security.Cryptography.CryptographicException>(error);
            Assert.DoesNotContain(key.ToBase64Url(), error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(other.ToBase64Url(), error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("top-secret", error.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void WithoutTtl_AgeIsNotChecked()
        {
            // The spec token is from 1985; Python's Fernet.decrypt(token) without ttl accepts it too.
            Assert.Equal("hello", Encoding.UTF8.GetString(Fernet.Decrypt(FernetKey.Parse(SpecSecret), SpecToken)));
        }

        [Fact]
        public void Ttl_AcceptsUpToTheLimit_AndRejectsOneSecondLater()
        {
            FernetKey key = FernetKey.Generate();
            DateTimeOffset created = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
            string token = Fernet.Encrypt(key, new byte[1], created, new byte[16]);
            TimeSpan ttl = TimeSpan.FromSeconds(60);

            Fernet.Decrypt(key, token, ttl, created.AddSeconds(60));
            Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(key, token, ttl, created.AddSeconds(61)));
        }

        [Fact]
        public void Ttl_AllowsSixtySecondsOfClockSkew_ButNoMore()
        {
            FernetKey key = FernetKey.Generate();
            DateTimeOffset created = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
            string token = Fernet.Encrypt(key, new byte[1], created, new byte[16]);
            TimeSpan ttl = TimeSpan.FromHours(1);

            Fernet.Decrypt(key, token, ttl, created.AddSeconds(-60));
            Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(key, token, ttl, created.AddSeconds(-61)));
        }

        [Fact]
        public void GetTimestamp_ReturnsTheEncryptionTime()
        {
            FernetKey key = FernetKey.Generate();
            DateTimeOffset created = new DateTimeOffset(2025, 6, 1, 12, 30, 45, TimeSpan.Zero);
            string token = Fernet.Encrypt(key, new byte[1], created.AddMilliseconds(999), new byte[16]);

            Assert.Equal(created, Fernet.GetTimestamp(token));
            Assert.Equal(DateTimeOffset.Parse("1985-10-26T01:20:00-07:00", System.Globalization.CultureInfo.InvariantCulture), Fernet.GetTimestamp(SpecToken));
        }

        [Fact]
        public void GetTimestamp_RejectsMalformedTokens()
        {
            Assert.Throws<InvalidFernetTokenException>(() => Fernet.GetTimestamp("garbage"));
        }

        [Fact]
        public void Encrypt_RejectsTimesBefore1970()
        {
            Assert.Throws<ArgumentOutOfRangeException>(
                () => Fernet.Encrypt(FernetKey.Generate(), new byte[1], new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero), new byte[16]));
        }
    }
}
