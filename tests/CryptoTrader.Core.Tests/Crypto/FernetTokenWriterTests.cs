using System;
using System.Linq;
using System.Security.Cryptography;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    /// <summary>The token written in steps is byte for byte the token the spec's formula gives in one piece.</summary>
    public class FernetTokenWriterTests
    {
        private const int Step = FernetTokenWriter.StepLength;

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(16)]
        [InlineData(Step - 1)]
        [InlineData(Step)]
        [InlineData(Step + 1)]
        [InlineData(Step + 15)]
        [InlineData(Step + 16)]
        [InlineData(2 * Step)]
        [InlineData(2 * Step + 1)]
        [InlineData(3 * Step + 17)]
        public void TokenWrittenInSteps_EqualsTheTokenComputedInOnePiece(int size)
        {
            FernetKey key = FernetKey.Generate();
            byte[] plaintext = SecureRandom.Bytes(size);
            byte[] iv = SecureRandom.Bytes(16);
            var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000 + size);

            string token = Fernet.Encrypt(key, plaintext, now, iv);

            Assert.Equal(ReferenceToken(key, plaintext, now, iv), token);
            Assert.True(plaintext.AsSpan().SequenceEqual(Fernet.Decrypt(key, token)));
        }

        /// <summary>base64url(0x80 ‖ time ‖ IV ‖ AES-CBC ‖ HMAC), each part by one platform call.</summary>
        private static string ReferenceToken(FernetKey key, byte[] plaintext, DateTimeOffset now, byte[] iv)
        {
            byte[] signingKey = key.CopySigningKey();
            byte[] encryptionKey = key.CopyEncryptionKey();
            byte[] time = BitConverter.GetBytes(now.ToUnixTimeSeconds());
            if (BitConverter.IsLittleEndian)
            {
                Array.Reverse(time);
            }

            byte[] ciphertext;
            using (Aes aes = Aes.Create())
            using (ICryptoTransform encryptor = aes.CreateEncryptor(encryptionKey, iv))
            {
                ciphertext = encryptor.TransformFinalBlock(plaintext, 0, plaintext.Length);
            }

            byte[] signed = new byte[] { 0x80 }.Concat(time).Concat(iv).Concat(ciphertext).ToArray();
            byte[] mac;
            using (var hmac = new HMACSHA256(signingKey))
            {
                mac = hmac.ComputeHash(signed);
            }

            return Convert.ToBase64String(signed.Concat(mac).ToArray()).Replace('+', '-').Replace('/', '_');
        }
    }
}
