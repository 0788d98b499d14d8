using System;
using System.Security.Cryptography;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    /// <summary>
    /// The helpers .NET Framework uses in production are compiled on every target; these tests pin them to the
    /// platform implementations, since the net472 build cannot run on this machine.
    /// </summary>
    public class NetFrameworkPathTests
    {
        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(15)]
        [InlineData(16)]
        [InlineData(17)]
        [InlineData(4096)]
        [InlineData(65537)]
        public void AesCbcTransforms_MatchTheOneShotApis(int size)
        {
            byte[] key = SecureRandom.Bytes(16);
            byte[] iv = SecureRandom.Bytes(16);
            byte[] plaintext = SecureRandom.Bytes(size);
            using Aes aes = Aes.Create();
            aes.Key = key;
            byte[] expected = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);

            byte[] destination = new byte[3 + AesCbcTransforms.CiphertextLength(size) + 5];
            AesCbcTransforms.EncryptInto(key, iv, plaintext, destination, 3);

            Assert.Equal(expected, destination.AsSpan(3, expected.Length).ToArray());
            Assert.Equal(plaintext, AesCbcTransforms.Decrypt(key, iv, destination, 3, expected.Length));
        }

        [Fact]
        public void AesCbcTransforms_RejectBadPadding()
        {
            byte[] key = SecureRandom.Bytes(16);
            byte[] iv = SecureRandom.Bytes(16);
            using Aes aes = Aes.Create();
            aes.Key = key;
            byte[] unpadded = aes.EncryptCbc(new byte[32], iv, PaddingMode.None);

            // The last plaintext block is all zeros, which is never valid PKCS#7.
            Assert.ThrowsAny<CryptographicException>(() => AesCbcTransforms.Decrypt(key, iv, unpadded, 0, unpadded.Length));
        }

        [Fact]
        public void ManagedConstantTimeEquals_MatchesFixedTimeEquals()
        {
            byte[] a = SecureRandom.Bytes(32);
            byte[] same = (byte[])a.Clone();
            byte[] lastDiffers = (byte[])a.Clone();
            lastDiffers[31] ^= 0x80;

            Assert.True(ConstantTime.ManagedEquals(a, same));
            Assert.False(ConstantTime.ManagedEquals(a, lastDiffers));
            Assert.False(ConstantTime.ManagedEquals(a, a.AsSpan(0, 31)));
            Assert.True(ConstantTime.ManagedEquals(ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty));
            Assert.True(ConstantTime.Equals(a, same));
            Assert.False(ConstantTime.Equals(a, lastDiffers));
        }

        [Fact]
        public void HmacSha256_MatchesTheHmacClass()
        {
            byte[] key = SecureRandom.Bytes(16);
            byte[] data = SecureRandom.Bytes(100);
            using HMACSHA256 hmac = new HMACSHA256(key);

            Assert.Equal(hmac.ComputeHash(data, 10, 50), HmacSha256.Compute(key, data, 10, 50));
        }

        [Fact]
        public void Base64Url_MatchesConvertForEveryLengthRemainder()
        {
            for (int length = 0; length < 70; length++)
            {
                byte[] bytes = SecureRandom.Bytes(length);
                string expected = Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');

                Assert.Equal(expected, Base64Url.Encode(bytes));
                Assert.Equal(bytes, Base64Url.TryDecode(expected));
                Assert.Equal(bytes, Base64Url.TryDecode(expected.TrimEnd('=')));
            }
        }

        [Theory]
        [InlineData("AB==")]
        [InlineData("AAB=")]
        [InlineData("A")]
        [InlineData("AA=")]
        [InlineData("AA AA")]
        [InlineData("AA+A")]
        [InlineData("AA/A")]
        [InlineData("AAAA====")]
        [InlineData("AÄAA")]
        public void Base64Url_RejectsNonCanonicalOrForeignText(string text)
        {
            Assert.Null(Base64Url.TryDecode(text));
        }
    }
}
