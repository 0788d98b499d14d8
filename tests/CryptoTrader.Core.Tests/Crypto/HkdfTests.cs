using System;
using System.Linq;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    /// <summary>HKDF-SHA256 (the platform's on .NET, BouncyCastle's on .NET Framework) against RFC 5869 appendix A.1–A.3, and the two against each other.</summary>
    public class HkdfTests
    {
        public static TheoryData<int, string, string, string, int, string, string> Rfc5869Cases => new TheoryData<int, string, string, string, int, string, string>
        {
            {
                1,
                "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
                "000102030405060708090a0b0c",
                "f0f1f2f3f4f5f6f7f8f9",
                42,
                "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
            },
            {
                2,
                Range(0x00, 0x50),
                Range(0x60, 0xb0),
                Range(0xb0, 0x100),
                82,
                "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
                "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"
            },
            {
                3,
                "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
                "",
                "",
                42,
                "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
            },
        };

        [Theory]
        [MemberData(nameof(Rfc5869Cases))]
        public void DeriveKey_MatchesRfc5869(int testCase, string ikm, string salt, string info, int length, string prk, string okm)
        {
            Assert.InRange(testCase, 1, 3);
#if NET
            Assert.Equal(prk, ToHex(System.Security.Cryptography.HKDF.Extract(System.Security.Cryptography.HashAlgorithmName.SHA256, FromHex(ikm), FromHex(salt))));
#else
            Assert.Equal(64, prk.Length);
#endif
            Assert.Equal(okm, ToHex(Hkdf.DeriveKey(FromHex(ikm), length, FromHex(salt), FromHex(info))));
            Assert.Equal(okm, ToHex(Hkdf.DeriveKeyWithBouncyCastle(FromHex(ikm), length, FromHex(salt), FromHex(info))));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(31)]
        [InlineData(32)]
        [InlineData(33)]
        [InlineData(100)]
        [InlineData(8160)]
        public void DeriveKey_AgreesWithThePlatformHkdf(int length)
        {
            byte[] ikm = SecureRandom.Bytes(32);
            byte[] salt = SecureRandom.Bytes(22);
            byte[] info = SecureRandom.Bytes(length % 50);
#if NET
            var sha256 = System.Security.Cryptography.HashAlgorithmName.SHA256;
            Assert.Equal(System.Security.Cryptography.HKDF.DeriveKey(sha256, ikm, length, salt, info), Hkdf.DeriveKeyWithBouncyCastle(ikm, length, salt, info));
            Assert.Equal(System.Security.Cryptography.HKDF.DeriveKey(sha256, ikm, length), Hkdf.DeriveKeyWithBouncyCastle(ikm, length, null, null));
#endif
            Assert.Equal(Hkdf.DeriveKeyWithBouncyCastle(ikm, length, salt, info), Hkdf.DeriveKey(ikm, length, salt, info));
            Assert.Equal(Hkdf.DeriveKeyWithBouncyCastle(ikm, length, null, null), Hkdf.DeriveKey(ikm, length, null, null));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(8161)]
        public void DeriveKey_RejectsOutputLengthsRfc5869Forbids(int length)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Hkdf.DeriveKey(new byte[32], length, null, null));
            Assert.Throws<ArgumentOutOfRangeException>(() => Hkdf.DeriveKeyWithBouncyCastle(new byte[32], length, null, null));
        }

        private static string Range(int from, int to)
        {
            return ToHex(Enumerable.Range(from, to - from).Select(i => (byte)i).ToArray());
        }

        private static byte[] FromHex(string hex) => TestBytes.FromHex(hex);

        private static string ToHex(byte[] bytes) => TestBytes.Hex(bytes);
    }
}
