using System;
using System.Linq;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Errors;
using Xunit;

namespace CryptoTrader.Core.Tests.Configuration
{
    public sealed class SettingValidationTests
    {
        private const string Setting = "AuditUserId";

        [Theory]
        [InlineData("alice", "alice")]
        [InlineData("  bob  ", "bob")]
        [InlineData("Team Vault #2", "Team Vault #2")]
        [InlineData("ünïcødé-✓", "ünïcødé-✓")]
        public void AcceptsPrintableNames_Trimmed(string value, string expected)
        {
            Assert.Equal(expected, SettingValidation.RequirePrintableName(value, Setting));
        }

        [Fact]
        public void AcceptsExactly128Characters()
        {
            string value = new string('x', SettingValidation.MaxNameLength);

            Assert.Equal(value, SettingValidation.RequirePrintableName(value, Setting));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData(" ")]
        [InlineData("   ")]
        public void RejectsEmptyAndWhitespace(string? value)
        {
            CtException error = AssertInvalid(value);

            Assert.Contains("empty", error.Message);
        }

        [Fact]
        public void RejectsMoreThan128Characters()
        {
            string value = "secret-looking-" + new string('y', SettingValidation.MaxNameLength);

            CtException error = AssertInvalid(value);

            Assert.Contains("128", error.Message);
            Assert.DoesNotContain(value, error.Message);
        }

        [Theory]
        [InlineData("ali\0ce", 0x00)]
        [InlineData("alice\n", 0x0A)]
        [InlineData("ali\rce", 0x0D)]
        [InlineData("ali\tce", 0x09)]
        [InlineData("\u001b[31mred", 0x1B)]
        [InlineData("ali\u007fce", 0x7F)]
        [InlineData("ali\u0085ce", 0x85)]
        public void RejectsControlCharacters_WithoutEchoingThem(string value, int code)
        {
            CtException error = AssertInvalid(value);

            Assert.Contains($"U+{code:X4}", error.Message);
            Assert.DoesNotContain(value, error.Message);
            Assert.DoesNotContain(error.Message, char.IsControl);
        }

        private static CtException AssertInvalid(string? value)
        {
            CtException error = Assert.Throws<CtException>(() => SettingValidation.RequirePrintableName(value, Setting));
            Assert.Equal(ErrorIds.InvalidSetting, error.ErrorId);
            Assert.Equal(CtErrorKind.InvalidArgument, error.Kind);
            Assert.Equal(Setting, error.Target);
            Assert.StartsWith(Setting, error.Message);
            Assert.DoesNotContain(error.Message, char.IsControl);
            return error;
        }
    }
}
