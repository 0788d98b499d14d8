using System;
using System.Linq;
using CryptoTrader.Core.Crypto;
using CsCheck;
using Xunit;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>
    /// Fernet.Decrypt, Fernet.GetTimestamp and KeyRing.Decrypt on hostile tokens: the only failure they may report is
    /// InvalidFernetTokenException, and a token is accepted only when its bytes are exactly those of a token the key made.
    /// </summary>
    [Trait("Category", FuzzRun.Category)]
    public sealed class FernetTokenFuzzTests
    {
        private static readonly FernetKey Key = FernetKey.Generate();
        private static readonly KeyRing Ring = KeyRing.FromFernetKeys(new[] { Key.ToBase64Url(), FernetKey.Generate().ToBase64Url() });

        private static readonly Gen<string> Base64UrlText = Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="], 0, 400];

        private static readonly Gen<string> AnyText = Gen.OneOf<string>(Gen.String, Gen.String[Gen.Char[Mutations.EdgeChars], 0, 200], Base64UrlText);

        /// <summary>Random bytes that start like a token (version 0x80), base64url-encoded with or without padding.</summary>
        private static readonly Gen<string> TokenShapedBytes = Gen.Select(Gen.Byte.Array[0, 300], Gen.Bool, (bytes, padded) =>
        {
            if (bytes.Length > 0)
            {
                bytes[0] = 0x80;
            }
            var text = Base64Url.Encode(bytes);
            return padded ? text : text.TrimEnd('=');
        });

        private static readonly Gen<(byte[] Plaintext, string Token)> ValidToken =
            Gen.Byte.Array[0, 100].Select(plaintext => (plaintext, Fernet.Encrypt(Key, plaintext)));

        [Fact]
        public void RandomTextIsRejectedOnlyAsAnInvalidToken() =>
            FuzzRun.Check(AnyText, text => AssertRejectedCleanly(text), ciDefault: 20_000);

        [Fact]
        public void RandomTokenShapedBytesAreRejectedOnlyAsAnInvalidToken() =>
            FuzzRun.Check(TokenShapedBytes, text => AssertRejectedCleanly(text), ciDefault: 20_000);

        [Fact]
        public void ValidTokensRoundTrip() =>
            FuzzRun.Check(ValidToken, valid =>
            {
                Assert.Equal(valid.Plaintext, Fernet.Decrypt(Key, valid.Token));
                Assert.Equal(valid.Plaintext, Fernet.Decrypt(Key, valid.Token.TrimEnd('=')));
                Assert.Equal(valid.Plaintext, Ring.Decrypt(valid.Token));
                Assert.Equal(valid.Plaintext, Fernet.Decrypt(Key, valid.Token, TimeSpan.FromMinutes(5)));
            }, ciDefault: 5_000);

        [Fact]
        public void AMutatedTokenDecryptsOnlyWhenItsBytesAreUnchanged() =>
            FuzzRun.Check(ValidToken.SelectMany(valid => Mutations.OfText(valid.Token).Select(mutant => (valid, mutant))),
                c => AssertMutantOutcome(c.valid.Plaintext, c.valid.Token, c.mutant), ciDefault: 20_000);

        [Fact]
        public void ATokenWithMutatedBytesNeverDecrypts() =>
            FuzzRun.Check(ValidToken.SelectMany(valid => Mutations.OfBytes(Base64Url.TryDecode(valid.Token)!).Select(bytes => (valid, bytes))),
                c => AssertMutantOutcome(c.valid.Plaintext, c.valid.Token, Base64Url.Encode(c.bytes)), ciDefault: 20_000);

        [Fact]
        public void TimeChecksOnMutatedTokensFailOnlyAsAnInvalidToken() =>
            FuzzRun.Check(Gen.Select(ValidToken.SelectMany(valid => Mutations.OfText(valid.Token)), Gen.Long[0, TimeSpan.MaxValue.Ticks], Gen.Long[-62_135_596_800L, 253_402_300_799L]),
                c => Allowed.Failure(() => Fernet.Decrypt(Key, c.Item1, TimeSpan.FromTicks(c.Item2), DateTimeOffset.FromUnixTimeSeconds(c.Item3)), typeof(InvalidFernetTokenException)),
                ciDefault: 10_000);

        private static void AssertRejectedCleanly(string text)
        {
            // Random text is a valid token of this key only by breaking HMAC-SHA256.
            Assert.NotNull(Allowed.Failure(() => Fernet.Decrypt(Key, text), typeof(InvalidFernetTokenException)));
            Assert.NotNull(Allowed.Failure(() => Ring.Decrypt(text), typeof(InvalidFernetTokenException)));
            Allowed.Failure(() => Fernet.GetTimestamp(text), typeof(InvalidFernetTokenException));
        }

        private static void AssertMutantOutcome(byte[] plaintext, string original, string mutant)
        {
            var sameBytes = Base64Url.TryDecode(mutant) is byte[] decoded && decoded.SequenceEqual(Base64Url.TryDecode(original)!);
            byte[]? result = null;
            var failure = Allowed.Failure(() => result = Fernet.Decrypt(Key, mutant), typeof(InvalidFernetTokenException));
            var ringFailure = Allowed.Failure(() => Ring.Decrypt(mutant), typeof(InvalidFernetTokenException));
            Allowed.Failure(() => Fernet.GetTimestamp(mutant), typeof(InvalidFernetTokenException));
            if (sameBytes)
            {
                Assert.Null(failure);
                Assert.Null(ringFailure);
                Assert.Equal(plaintext, result);
            }
            else
            {
                Assert.NotNull(failure);
                Assert.NotNull(ringFailure);
            }
        }
    }
}
