using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    /// <summary>One key used by many threads and for tokens of every size; no token may see another's state.</summary>
    public class FernetKeyReuseTests
    {
        [Fact]
        public void ManyThreadsOnOneKey_AllRoundTrip()
        {
            FernetKey key = FernetKey.Generate();
            byte[][] payloads = Enumerable.Range(0, 64).Select(i => SecureRandom.Bytes(i * 7)).ToArray();

            Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                byte[] payload = payloads[i % payloads.Length];
                Assert.True(payload.AsSpan().SequenceEqual(Fernet.Decrypt(key, Fernet.Encrypt(key, payload))));
            });
        }

        [Fact]
        public void TokensWithDifferentIvs_DecryptOneAfterAnother()
        {
            FernetKey key = FernetKey.Generate();
            byte[][] payloads = { SecureRandom.Bytes(40), SecureRandom.Bytes(1), SecureRandom.Bytes(100000), SecureRandom.Bytes(16) };
            string[] tokens = payloads.Select(p => Fernet.Encrypt(key, p)).ToArray();

            for (int round = 0; round < 3; round++)
            {
                for (int i = 0; i < tokens.Length; i++)
                {
                    Assert.True(payloads[i].AsSpan().SequenceEqual(Fernet.Decrypt(key, tokens[i])));
                }
            }
        }

        [Theory]
        [InlineData(0)]
        [InlineData(17)]
        [InlineData(3)]
        public void ValidMacOverBadPadding_IsRejected_AndTheKeyStillWorks(int lastByte)
        {
            byte[] raw = SecureRandom.Bytes(32);
            FernetKey key = FernetKey.FromBytes(raw);
            byte[] block = new byte[16];
            block[15] = (byte)lastByte;
            string bad = SealWithoutPadding(raw, block);

            InvalidFernetTokenException error = Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(key, bad));
            Assert.Contains("padding", error.Message, StringComparison.Ordinal);
            Assert.Equal(new byte[] { 1, 2, 3 }, Fernet.Decrypt(key, Fernet.Encrypt(key, new byte[] { 1, 2, 3 })));
        }

        [Fact]
        public void FullBlockOfPadding_DecryptsToNothing()
        {
            byte[] raw = SecureRandom.Bytes(32);
            byte[] block = Enumerable.Repeat((byte)16, 16).ToArray();

            Assert.Empty(Fernet.Decrypt(FernetKey.FromBytes(raw), SealWithoutPadding(raw, block)));
        }

        // A token over exactly these plaintext blocks, which the caller pads (or not).
        private static string SealWithoutPadding(byte[] raw, byte[] blocks)
        {
            byte[] iv = SecureRandom.Bytes(16);
            byte[] token = new byte[25 + blocks.Length + 32];
            token[0] = 0x80;
            token[8] = 1;
            iv.CopyTo(token, 9);
            using (Aes aes = Aes.Create())
            {
                // A transform, which both test targets have (net472 has no EncryptCbc), over whole blocks unpadded.
                aes.Padding = PaddingMode.None;
                using ICryptoTransform encryptor = aes.CreateEncryptor(raw.AsSpan(16, 16).ToArray(), iv);
                encryptor.TransformBlock(blocks, 0, blocks.Length, token, 25);
            }

            TestBytes.HmacSha256(raw.AsSpan(0, 16).ToArray(), token.AsSpan(0, 25 + blocks.Length).ToArray()).CopyTo(token, 25 + blocks.Length);
            return Convert.ToBase64String(token).Replace('+', '-').Replace('/', '_');
        }
    }
}
