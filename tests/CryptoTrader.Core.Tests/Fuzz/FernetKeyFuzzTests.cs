using System;
using System.Linq;
using CryptoTrader.Core.Crypto;
using CsCheck;
using Xunit;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>
    /// FernetKey.Parse and KeyRing.ParseKeyList (CRYPTOTRADER_MASTER_KEY) on hostile text: FormatException is the only
    /// documented failure, and whatever parses is exactly the 32 bytes the text spells.
    /// </summary>
    [Trait("Category", FuzzRun.Category)]
    public sealed class FernetKeyFuzzTests
    {
        private static readonly Gen<string> ValidKeyText = Gen.Byte.Array[32].Select(bytes => Base64Url.Encode(bytes));

        private static readonly Gen<string> AnyText = Gen.OneOf<string>(
            Gen.String,
            Gen.String[Gen.Char[Mutations.EdgeChars], 0, 100],
            Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ ,"], 40, 48]);

        [Fact]
        public void ValidKeysRoundTrip() =>
            FuzzRun.Check(Gen.Byte.Array[32], bytes =>
            {
                var text = Base64Url.Encode(bytes);
                Assert.Equal(bytes, FernetKey.Parse(text).CopyBytes());
                Assert.Equal(bytes, FernetKey.Parse(" " + text.TrimEnd('=') + "\n").CopyBytes());
                Assert.Equal(text, FernetKey.Parse(text).ToBase64Url());
            }, ciDefault: 5_000);

        [Fact]
        public void RandomTextFailsOnlyAsAFormatError() =>
            FuzzRun.Check(AnyText, text => AssertParsesExactlyOrFails(text), ciDefault: 20_000);

        [Fact]
        public void AMutatedKeyParsesOnlyToTheBytesItSpells() =>
            FuzzRun.Check(ValidKeyText.SelectMany(Mutations.OfText), text => AssertParsesExactlyOrFails(text), ciDefault: 20_000);

        [Fact]
        public void AMutatedKeyListFailsOnlyAsAFormatError() =>
            FuzzRun.Check(Gen.Select(ValidKeyText, ValidKeyText, (a, b) => a + "," + b + "\n").SelectMany(Mutations.OfText), text =>
            {
                KeyRing? ring = null;
                if (Allowed.Failure(() => ring = KeyRing.ParseKeyList(text), typeof(FormatException)) is null)
                {
                    Assert.NotEmpty(ring!.Keys);
                    Assert.Same(ring.Keys[0], ring.Primary);
                }
            }, ciDefault: 10_000);

        private static readonly string FixedMessage = Assert.Throws<FormatException>(() => FernetKey.Parse(string.Empty)).Message;

        private static void AssertParsesExactlyOrFails(string text)
        {
            FernetKey? key = null;
            var failure = Allowed.Failure(() => key = FernetKey.Parse(text), typeof(FormatException));
            if (failure is null)
            {
                // Accepted text is canonical base64url of 32 bytes (padding optional, surrounding whitespace trimmed).
                var trimmed = text.Trim();
                Assert.Equal(FernetKey.Length, key!.CopyBytes().Length);
                Assert.Equal(trimmed.TrimEnd('='), key!.ToBase64Url().TrimEnd('='));
                Assert.True(trimmed.Length == 43 || trimmed == key.ToBase64Url(), $"accepted a key text of length {trimmed.Length}");
            }
            else
            {
                // One fixed message: nothing of the (possibly secret) text is repeated.
                Assert.Equal(FixedMessage, failure.Message);
            }
        }
    }
}
