using System;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Trading;
using CryptoTrader.Core.Validation;
using Xunit;

namespace CryptoTrader.Core.Tests.Trading
{
    /// <summary>Identifiers a user supplies go into audit records and on screens: control and invisible characters are refused, never trimmed or stored.</summary>
    public class UserTextTests
    {
        [Theory]
        [InlineData("\u001b[2J")]
        [InlineData("\u009b31m")]
        [InlineData("\u007f")]
        [InlineData("\u202eDSU")]
        [InlineData("\u2066x")]
        [InlineData("zero\u200bwidth")]
        [InlineData("line\u2028break")]
        [InlineData("tab\there")]
        [InlineData("trailing\n")]
        public void InvisibleCharacters_AreFound(string text)
        {
            Assert.NotNull(UserText.FirstInvisible(text));
        }

        [Theory]
        [InlineData("BTC-USD")]
        [InlineData("paper-0123456789abcdef")]
        [InlineData("Ünïcödé näme")]
        public void OrdinaryText_HasNone(string text)
        {
            Assert.Null(UserText.FirstInvisible(text));
        }

        [Fact]
        public void Visible_WritesInvisibleCharactersAsEscapes()
        {
            Assert.Equal("a\\u001B[2Jb\\u202Ec", UserText.Visible("a\u001b[2Jb\u202ec"));
            Assert.Equal("plain", UserText.Visible("plain"));
        }

        [Fact]
        public void AnAuditRecordsDetails_NeverShowARawControlCharacter()
        {
            using var folder = new Audit.AuditTestFolder();
            var record = folder.Log.Append(CryptoTrader.Core.Audit.AuditEventType.Error, new CryptoTrader.Core.Audit.AuditDetails().Add("message", "\u001b]0;owned\u0007"));

            Assert.DoesNotContain('\u001b', record.Details.ToString());
            Assert.DoesNotContain('\u0007', record.Details.ToListText());
            Assert.Contains("\\u001B]0;owned\\u0007", record.Details.ToString());
        }

        [Theory]
        [InlineData("BTC-USD\n")]
        [InlineData("BTC\u001b-USD")]
        [InlineData("\u202eBTC-USD")]
        public void ASymbolWithAControlCharacter_IsRefused_NotTrimmed(string symbol)
        {
            var e = Assert.Throws<CtException>(() => OrderValidation.NormalizeSymbol(symbol));
            Assert.Equal(ErrorIds.InvalidOrder, e.ErrorId);
            Assert.Equal(CtErrorKind.InvalidArgument, e.Kind);
        }

        [Theory]
        [InlineData("paper-1\u001b]0;owned\u0007")]
        [InlineData("\u202e1-repap")]
        [InlineData(" ")]
        public void AnOrderIdWithAControlCharacter_OrBlank_IsRefused(string orderId)
        {
            Assert.Equal(ErrorIds.InvalidOrder, Assert.Throws<CtException>(() => OrderValidation.RequireOrderId(orderId)).ErrorId);
        }

        [Fact]
        public void AnOrderIdLongerThanTheLimit_IsRefused_AndOneAtItIsNot()
        {
            Assert.Equal(ErrorIds.InvalidOrder, Assert.Throws<CtException>(() => OrderValidation.RequireOrderId(new string('a', 100_000))).ErrorId);
            Assert.Equal(OrderValidation.MaxOrderIdLength, OrderValidation.RequireOrderId(new string('a', OrderValidation.MaxOrderIdLength)).Length);
        }

        [Fact]
        public void AClientOrderIdEndingInANewline_IsRefused()
        {
            // A regex '$' also matches before a final newline: the rule anchors at the very end.
            var e = Assert.Throws<CtException>(() => OrderValidation.Create("BTC-USD", OrderSide.Buy, 1m, null, "retry-1\n"));
            Assert.Equal("ClientOrderId", e.Target);
        }

        [Theory]
        [InlineData("bot\u001b")]
        [InlineData("default\n")]
        [InlineData("\u202etob")]
        public void ACredentialNameWithAControlCharacter_IsRefused(string name)
        {
            Assert.Equal(ErrorIds.InvalidCredentialName, Assert.Throws<CtException>(() => CredentialName.Normalize(name)).ErrorId);
        }

        [Theory]
        [InlineData("U\u001bD")]
        [InlineData("USD\n")]
        public void ACurrencyWithAControlCharacter_IsNoCurrency(string currency)
        {
            Assert.False(OrderValidation.IsCurrency(currency));
        }
    }
}
