using System;
using System.Text;
using CryptoTrader.Core.Crypto;
using CsCheck;
using Xunit;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>
    /// Base64Url.TryDecode of UTF-8 bytes (the vectorized path key rotation uses on stored tokens) accepts exactly
    /// what the strict text decoder accepts, and gives the same bytes.
    /// </summary>
    [Trait("Category", FuzzRun.Category)]
    public sealed class Base64UrlUtf8FuzzTests
    {
        private static readonly Gen<string> AlphabetText = Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="], 0, 200];

        private static readonly Gen<string> Encoded = Gen.Byte.Array[0, 200].Select(bytes => Base64Url.Encode(bytes));

        private static readonly Gen<string> AnyText = Gen.OneOf<string>(
            AlphabetText,
            Encoded,
            Encoded.SelectMany(text => Mutations.OfText(text)),
            Gen.String[Gen.Char[Mutations.EdgeChars], 0, 60]);

        [Fact]
        public void Utf8AndTextDecodersAgree() =>
            FuzzRun.Check(AnyText, text =>
            {
                var utf8 = Encoding.UTF8.GetBytes(text);
                var fromText = new byte[Base64Url.MaxDecodedLength(text.Length)];
                var fromUtf8 = new byte[Base64Url.MaxDecodedLength(utf8.Length)];

                var textOk = Base64Url.TryDecode(text.AsSpan(), fromText, out var textWritten);
                var utf8Ok = Base64Url.TryDecode(utf8, fromUtf8, out var utf8Written);

                // Non-ASCII text has more UTF-8 bytes than characters; both decoders must reject it.
                Assert.Equal(textOk, utf8Ok);
                if (textOk)
                {
                    Assert.Equal(fromText.AsSpan(0, textWritten).ToArray(), fromUtf8.AsSpan(0, utf8Written).ToArray());
                }
            }, ciDefault: 20_000);

        [Theory]
        [InlineData("QQ==", true)]
        [InlineData("QR==", false)]
        [InlineData("QUI=", true)]
        [InlineData("QUJ=", false)]
        [InlineData("QUJD", true)]
        [InlineData("QU JD", false)]
        [InlineData("QU\nJ", false)]
        [InlineData("Q+JD", false)]
        [InlineData("Q/JD", false)]
        [InlineData("Q=JD", false)]
        [InlineData("-_-_", true)]
        [InlineData("QQ", true)]
        [InlineData("Q", false)]
        [InlineData("", true)]
        public void Utf8Decoder_IsStrict(string text, bool valid)
        {
            var destination = new byte[16];

            Assert.Equal(valid, Base64Url.TryDecode(Encoding.ASCII.GetBytes(text), destination, out _));
            Assert.Equal(valid, Base64Url.TryDecode(text.AsSpan(), destination, out _));
        }
    }
}
