using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    public class FernetTamperingTests
    {
        private static readonly FernetKey Key = FernetKey.Generate();

        [Fact]
        public void FlippingAnySingleByteOfTheToken_IsRejected()
        {
            string token = Fernet.Encrypt(Key, Encoding.UTF8.GetBytes("an exchange API secret, 40 bytes long..."));
            byte[] decoded = DecodeBase64Url(token);
            List<int> accepted = new List<int>();

            for (int position = 0; position < decoded.Length; position++)
            {
                byte[] tampered = (byte[])decoded.Clone();
                tampered[position] ^= 0x01;
                try
                {
                    Fernet.Decrypt(Key, EncodeBase64Url(tampered));
                    accepted.Add(position);
                }
                catch (InvalidFernetTokenException)
                {
                }
            }

            Assert.True(decoded.Length > 100, "the token should span several blocks");
            Assert.Empty(accepted);
        }

        [Fact]
        public void EveryTruncationOfTheToken_IsRejected()
        {
            string token = Fernet.Encrypt(Key, new byte[40]);
            byte[] decoded = DecodeBase64Url(token);

            for (int length = 0; length < decoded.Length; length++)
            {
                string truncated = EncodeBase64Url(decoded.Take(length).ToArray());
                Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(Key, truncated));
            }

            for (int length = 0; length < token.Length; length++)
            {
                // Dropping characters from the text may or may not leave valid base64; either way it is rejected.
                Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(Key, token.Substring(0, length)));
            }
        }

        [Fact]
        public void AppendedBytes_AreRejected()
        {
            byte[] decoded = DecodeBase64Url(Fernet.Encrypt(Key, new byte[5]));
            byte[] extended = decoded.Concat(new byte[16]).ToArray();

            Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(Key, EncodeBase64Url(extended)));
        }

        [Theory]
        [InlineData("")]
        [InlineData("not a fernet token!")]
        [InlineData("====")]
        [InlineData("gAAAAA")]
        public void NonTokens_AreRejected(string text)
        {
            Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(Key, text));
        }

        [Fact]
        public void TokenInStandardBase64Alphabet_IsRejected()
        {
            string token = Fernet.Encrypt(Key, new byte[64]);
            string standard = token.Replace('-', '+').Replace('_', '/');
            Assert.NotEqual(token, standard);

            Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(Key, standard));
        }

        [Fact]
        public void TokenWithSurroundingWhitespace_IsRejected()
        {
            string token = Fernet.Encrypt(Key, new byte[3]);

            Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(Key, " " + token));
            Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(Key, token + "\n"));
        }

        [Fact]
        public void WrongVersionByte_WithValidMac_IsRejected()
        {
            // Re-sign a token whose version byte is wrong, so only the version check can reject it.
            FernetKey key = FernetKey.Generate();
            byte[] decoded = DecodeBase64Url(Fernet.Encrypt(key, new byte[8]));
            decoded[0] = 0x81;
            byte[] mac = new System.Security.Cryptography.HMACSHA256(key.CopySigningKey()).ComputeHash(decoded, 0, decoded.Length - 32);
            Buffer.BlockCopy(mac, 0, decoded, decoded.Length - 32, 32);

            Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(key, EncodeBase64Url(decoded)));
        }

        internal static byte[] DecodeBase64Url(string text)
        {
            return Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/'));
        }

        internal static string EncodeBase64Url(byte[] bytes)
        {
            return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
        }
    }
}
