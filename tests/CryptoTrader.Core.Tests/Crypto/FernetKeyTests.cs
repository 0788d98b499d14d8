using System;
using System.Linq;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    public class FernetKeyTests
    {
        private const string SpecSecret = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";

        [Fact]
        public void Parse_ThenToBase64Url_RoundTrips()
        {
            Assert.Equal(SpecSecret, FernetKey.Parse(SpecSecret).ToBase64Url());
        }

        [Fact]
        public void Parse_SplitsSigningThenEncryptionKey()
        {
            byte[] raw = Convert.FromBase64String(SpecSecret.Replace('-', '+').Replace('_', '/'));
            FernetKey key = FernetKey.Parse(SpecSecret);

            Assert.Equal(raw.Take(16).ToArray(), key.CopySigningKey());
            Assert.Equal(raw.Skip(16).ToArray(), key.CopyEncryptionKey());
        }

        [Fact]
        public void Parse_AcceptsMissingPaddingAndSurroundingWhitespace()
        {
            Assert.Equal(SpecSecret, FernetKey.Parse(SpecSecret.TrimEnd('=')).ToBase64Url());
            Assert.Equal(SpecSecret, FernetKey.Parse("  " + SpecSecret + "\n").ToBase64Url());
        }

        [Theory]
        [InlineData("")]
        [InlineData("c2hvcnQ=")]
        [InlineData("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=AAAA")]
        [InlineData("cw/0x689RpI+jtRR7oE8h/eQsKImvJapLeSbXpwF4e4=")]
        [InlineData("cw_0x689RpI-jtRR7o!8h_eQsKImvJapLeSbXpwF4e4=")]
        public void Parse_RejectsBadKeys_WithoutEchoingThem(string text)
        {
            FormatException error = Assert.Throws<FormatException>(() => FernetKey.Parse(text));

            if (text.Length > 0)
            {
                Assert.DoesNotContain(text, error.Message, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void ToString_DoesNotRevealTheKey()
        {
            FernetKey key = FernetKey.Generate();

            Assert.Equal("FernetKey(****)", key.ToString());
            Assert.DoesNotContain(key.ToBase64Url(), $"{key}", StringComparison.Ordinal);
        }

        [Fact]
        public void Generate_GivesDistinct32ByteKeys()
        {
            FernetKey first = FernetKey.Generate();
            FernetKey second = FernetKey.Generate();

            Assert.Equal(32, first.CopyBytes().Length);
            Assert.Equal(44, first.ToBase64Url().Length);
            Assert.NotEqual(first.ToBase64Url(), second.ToBase64Url());
        }
    }
}
