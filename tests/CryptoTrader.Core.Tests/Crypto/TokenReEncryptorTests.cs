using System;
using System.Linq;
using System.Text;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    public class TokenReEncryptorTests
    {
        private static byte[] BytesOf(string token) => Base64Url.TryDecode(token)!;

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(15)]
        [InlineData(16)]
        [InlineData(450)]
        [InlineData(70_000)]
        public void ReEncrypt_GivesATokenOfThePrimaryKey_ThatHoldsTheSamePlaintext(int size)
        {
            var old = KeyRing.CreateNew();
            var ring = old.WithNewPrimary(out _);
            var plaintext = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();
            var token = old.Encrypt(plaintext);
            using var reEncryptor = new TokenReEncryptor(ring);

            var newToken = reEncryptor.ReEncrypt(BytesOf(token.Token), token.KeyId).ToArray();

            Assert.Equal(Fernet.TokenByteLength(size), newToken.Length);
            Assert.Equal(BytesOf(token.Token).Length, newToken.Length);
            Assert.Equal(plaintext, Fernet.Decrypt(ring.Primary.Key, Base64Url.Encode(newToken)));
            Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(old.Primary.Key, Base64Url.Encode(newToken)));
        }

        [Fact]
        public void ReEncrypt_ReusesItsBuffers_AcrossTokensOfDifferentSizes()
        {
            var ring = KeyRing.CreateNew();
            using var reEncryptor = new TokenReEncryptor(ring);
            foreach (var size in new[] { 500, 3, 64, 1000, 0 })
            {
                var plaintext = new byte[size];
                new Random(size).NextBytes(plaintext);
                var token = ring.Encrypt(plaintext);

                var newToken = Base64Url.Encode(reEncryptor.ReEncrypt(BytesOf(token.Token), token.KeyId).ToArray());

                Assert.Equal(plaintext, ring.Decrypt(newToken, ring.Primary.Id));
            }
        }

        [Theory]
        [InlineData(0)]
        [InlineData(30)]
        [InlineData(60)]
        [InlineData(88)]
        public void ReEncrypt_RefusesATokenWithAnyByteAltered(int index)
        {
            var ring = KeyRing.CreateNew();
            var token = BytesOf(ring.Encrypt(new byte[40]).Token);
            token[index] ^= 0x01;
            using var reEncryptor = new TokenReEncryptor(ring);

            Assert.Throws<InvalidFernetTokenException>(() => reEncryptor.ReEncrypt(token, ring.Primary.Id).Length);
        }

        [Fact]
        public void ReEncrypt_RefusesACutToken_AndText()
        {
            var ring = KeyRing.CreateNew();
            var text = ring.Encrypt(new byte[40]).Token;
            using var reEncryptor = new TokenReEncryptor(ring);

            Assert.Throws<InvalidFernetTokenException>(() => reEncryptor.ReEncrypt(BytesOf(text).AsSpan(0, 72), ring.Primary.Id).Length);
            Assert.Throws<InvalidFernetTokenException>(() => reEncryptor.ReEncrypt(Encoding.ASCII.GetBytes(text), ring.Primary.Id).Length);
        }

        [Fact]
        public void ReEncrypt_RefusesAKeyIdNotInTheRing()
        {
            var ring = KeyRing.CreateNew();
            var token = BytesOf(KeyRing.CreateNew().Encrypt(new byte[40]).Token);
            using var reEncryptor = new TokenReEncryptor(ring);

            Assert.Throws<KeyNotFoundInKeyRingException>(() => reEncryptor.ReEncrypt(token, "no-such-key").Length);
        }

        [Fact]
        public void ReEncrypt_ThenPythonDecrypts_ATokenPythonMade()
        {
            var old = KeyRing.CreateNew();
            var ring = old.WithNewPrimary(out _);
            var plaintext = Encoding.UTF8.GetBytes("{\"api_key\":\"organizations/x/apiKeys/y\",\"secret\":\"-----BEGIN EC PRIVATE KEY-----\"}");
            var pythonToken = Encoding.ASCII.GetString(PythonFernet.EncryptAll(old.Primary.Key.ToBase64Url(), new[] { plaintext })[0]);
            using var reEncryptor = new TokenReEncryptor(ring);

            var newToken = Base64Url.Encode(reEncryptor.ReEncrypt(BytesOf(pythonToken), old.Primary.Id).ToArray());

            Assert.Equal(plaintext, PythonFernet.DecryptAll(ring.Primary.Key.ToBase64Url(), new[] { Encoding.ASCII.GetBytes(newToken) })[0]);
        }

        [Fact]
        public void EncryptToBytes_RefusesADestinationTooShortForTheToken()
        {
            var key = FernetKey.Generate();

            Assert.Throws<ArgumentException>(() => Fernet.EncryptToBytes(key, new byte[20], 20, new byte[Fernet.TokenByteLength(20) - 1]));
        }

        [Fact]
        public void EncryptToBytes_UsesOnlyThePlaintextLengthGiven()
        {
            var key = FernetKey.Generate();
            var plaintext = Encoding.UTF8.GetBytes("hello, and more than that");
            var destination = new byte[200];

            var length = Fernet.EncryptToBytes(key, plaintext, 5, destination);

            Assert.Equal(Fernet.TokenByteLength(5), length);
            Assert.Equal("hello", Encoding.UTF8.GetString(Fernet.Decrypt(key, Base64Url.Encode(destination, length))));
        }

        [Fact]
        public void EncryptToBytes_AndEncrypt_TakeTurnsOnOneKey_AndEveryTokenDecrypts()
        {
            // Both reuse the key's one CBC encryptor, whose chaining state each cancels in its first block.
            var key = FernetKey.Generate();
            var plaintexts = Enumerable.Range(0, 12).Select(i => Enumerable.Range(0, i * 37).Select(b => (byte)(b + i)).ToArray()).ToArray();
            var tokens = plaintexts.Select((plaintext, i) =>
            {
                if (i % 2 == 0)
                {
                    return Fernet.Encrypt(key, plaintext);
                }
                var bytes = new byte[Fernet.TokenByteLength(plaintext.Length)];
                Fernet.EncryptToBytes(key, plaintext, plaintext.Length, bytes);
                return Base64Url.Encode(bytes);
            }).ToArray();

            for (var i = 0; i < tokens.Length; i++)
            {
                Assert.Equal(plaintexts[i], Fernet.Decrypt(key, tokens[i]));
            }
        }

        [Fact]
        public void DecryptBytes_WritesThePlaintextOnly()
        {
            var key = FernetKey.Generate();
            var token = BytesOf(Fernet.Encrypt(key, Encoding.UTF8.GetBytes("hello")));
            var destination = new byte[token.Length];

            var length = Fernet.DecryptBytes(key, token, destination);

            Assert.Equal("hello", Encoding.UTF8.GetString(destination, 0, length));
            Assert.All(destination.Skip(length), b => Assert.Equal(0, b));
        }
    }
}
