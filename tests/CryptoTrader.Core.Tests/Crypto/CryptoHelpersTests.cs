using System;
using System.Linq;
using System.Security.Cryptography;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    /// <summary>The small helpers under Fernet and the chain, pinned to published vectors so both targets are held to them.</summary>
    public class CryptoHelpersTests
    {
        [Fact]
        public void AesCbc_MatchesNistSp800_38A_F21_ThenPadsAWholeBlock()
        {
            byte[] key = FromHex("2b7e151628aed2a6abf7158809cf4f3c");
            byte[] iv = FromHex("000102030405060708090a0b0c0d0e0f");
            byte[] plaintext = FromHex("6bc1bee22e409f96e93d7e117393172a");

            byte[] ciphertext = Encrypt(key, iv, plaintext);

            Assert.Equal(32, ciphertext.Length);
            Assert.Equal("7649abac8119b246cee98e9b12e9197d", ToHex(ciphertext.AsSpan(0, 16).ToArray()));
            Assert.Equal(plaintext, AesCbc.Decrypt(key, iv, ciphertext, 0, ciphertext.Length));
        }

        [Fact]
        public void AesCbcEncryptor_InSteps_MatchesNistSp800_38A_F21_BlockForBlock()
        {
            byte[] key = FromHex("2b7e151628aed2a6abf7158809cf4f3c");
            byte[] iv = FromHex("000102030405060708090a0b0c0d0e0f");
            byte[] plaintext = FromHex(
                "6bc1bee22e409f96e93d7e117393172a" + "ae2d8a571e03ac9c9eb76fac45af8e51" +
                "30c81c46a35ce411e5fbc1191a0a52ef" + "f69f2445df4f9b17ad2b417be66c3710");
            byte[] ciphertext = new byte[64];

            using (var encryptor = AesCbc.CreateEncryptor(key, iv))
            {
                Assert.Equal(16, encryptor.TransformBlock(plaintext, 0, 16, ciphertext, 0));
                Assert.Equal(48, encryptor.TransformBlock(plaintext, 16, 48, ciphertext, 16));
                Assert.Equal(16, encryptor.TransformFinalBlock(plaintext, 64, 0).Length);
            }

            Assert.Equal(
                "7649abac8119b246cee98e9b12e9197d" + "5086cb9b507219ee95db113a917678b2" +
                "73bed6b8e3c1743b7116e69e22229516" + "3ff1caa1681fac09120eca307586e1a7",
                ToHex(ciphertext));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(15)]
        [InlineData(16)]
        [InlineData(17)]
        [InlineData(65537)]
        public void AesCbc_RoundTripsEveryLength(int size)
        {
            byte[] key = SecureRandom.Bytes(16);
            byte[] iv = SecureRandom.Bytes(16);
            byte[] plaintext = SecureRandom.Bytes(size);

            byte[] ciphertext = Encrypt(key, iv, plaintext);

            Assert.Equal(AesCbc.CiphertextLength(size), ciphertext.Length);
            Assert.Equal(plaintext, AesCbc.Decrypt(key, iv, ciphertext, 0, ciphertext.Length));
        }

        [Fact]
        public void AesCbc_RejectsBadPadding()
        {
            byte[] key = SecureRandom.Bytes(16);
            byte[] iv = SecureRandom.Bytes(16);
            byte[] ciphertext = Encrypt(key, iv, new byte[16]);

            // Decrypting only the first block leaves zeros as the "padding", which is never valid PKCS#7.
            Assert.ThrowsAny<CryptographicException>(() => AesCbc.Decrypt(key, iv, ciphertext, 0, 16));
        }

        [Fact]
        public void HmacSha256_MatchesRfc4231TestCase2_AndHonoursTheRange()
        {
            byte[] key = System.Text.Encoding.ASCII.GetBytes("Jefe");
            byte[] data = System.Text.Encoding.ASCII.GetBytes("xxwhat do ya want for nothing?yy");

            Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", ToHex(HmacSha256.Compute(key, data, 2, data.Length - 4)));
        }

        [Fact]
        public void ConstantTimeEquals_AgreesWithPlainEquality()
        {
            byte[] a = SecureRandom.Bytes(32);
            byte[] same = (byte[])a.Clone();
            byte[] lastDiffers = (byte[])a.Clone();
            lastDiffers[31] ^= 0x80;

            foreach (var other in new[] { same, lastDiffers, a.Take(31).ToArray(), new byte[0] })
            {
                Assert.Equal(a.SequenceEqual(other), ConstantTime.Equals(a, other));
            }
            Assert.True(ConstantTime.Equals(new byte[0], new byte[0]));
            Assert.True(ConstantTime.Equals(a, 1, same, 1, 31));
            Assert.False(ConstantTime.Equals(a, 0, lastDiffers, 0, 32));
            Assert.True(ConstantTime.Equals(a, 0, lastDiffers, 0, 31));
        }

        [Fact]
        public void Base64Url_MatchesConvertForEveryLengthRemainder()
        {
            // Short texts, and long ones that take the vectorized encoding and replacing.
            foreach (int length in Enumerable.Range(0, 70).Concat(new[] { 4096, 4097, 4098, (1 << 20) + 1 }))
            {
                byte[] bytes = SecureRandom.Bytes(length);
                string expected = Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');

                Assert.Equal(expected, Base64Url.Encode(bytes));
                Assert.Equal(bytes, Base64Url.TryDecode(expected));
                Assert.Equal(bytes, Base64Url.TryDecode(expected.TrimEnd('=')));
            }
        }

        [Fact]
        public void Base64Url_WrittenInWholeGroupsThenTheRest_MatchesConvert()
        {
            byte[] bytes = SecureRandom.Bytes(3 * 1000 + 2);
            char[] text = new char[Base64Url.EncodedLength(bytes.Length)];

            int written = Base64Url.EncodePadded(bytes.AsSpan(0, 3 * 400), text);
            written += Base64Url.EncodePadded(bytes.AsSpan(3 * 400), text.AsSpan(written));

            Assert.Equal(text.Length, written);
            Assert.Equal(Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_'), new string(text));
        }

        [Theory]
        [InlineData("AB==")]
        [InlineData("AAB=")]
        [InlineData("A")]
        [InlineData("AA=")]
        [InlineData("AA AA")]
        [InlineData("AAA\n")]
        [InlineData("AA\tA")]
        [InlineData("AAAA\r\nAAAA")]
        [InlineData("AAA=AAAA")]
        [InlineData("QR==")]
        [InlineData("QUJDRB")]
        [InlineData("AA+A")]
        [InlineData("AA/A")]
        [InlineData("AAAA====")]
        [InlineData("AÄAA")]
        public void Base64Url_RejectsNonCanonicalOrForeignText(string text)
        {
            Assert.Null(Base64Url.TryDecode(text));
        }
    
        private static byte[] FromHex(string hex) => Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(i * 2, 2), 16)).ToArray();

        private static string ToHex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2")));

        private static byte[] Encrypt(byte[] key, byte[] iv, byte[] plaintext)
        {
            using (var encryptor = AesCbc.CreateEncryptor(key, iv))
            {
                return encryptor.TransformFinalBlock(plaintext, 0, plaintext.Length);
            }
        }
    }
}
