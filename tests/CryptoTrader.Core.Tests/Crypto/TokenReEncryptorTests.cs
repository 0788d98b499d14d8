using System;
using System.Linq;
using System.Text;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    public class TokenReEncryptorTests
    {
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

            var newToken = Encoding.ASCII.GetString(reEncryptor.ReEncrypt(Encoding.ASCII.GetBytes(token.Token), token.KeyId));

            Assert.Equal(Fernet.TokenLength(size), newToken.Length);
            Assert.Equal(plaintext, Fernet.Decrypt(ring.Primary.Key, newToken));
            Assert.Throws<InvalidFernetTokenException>(() => Fernet.Decrypt(old.Primary.Key, newToken));
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

                var newToken = Encoding.ASCII.GetString(reEncryptor.ReEncrypt(Encoding.ASCII.GetBytes(token.Token), token.KeyId));

                Assert.Equal(plaintext, ring.Decrypt(newToken, ring.Primary.Id));
            }
        }

        [Fact]
        public void ReEncrypt_AcceptsATokenWithoutPadding()
        {
            var ring = KeyRing.CreateNew();
            var plaintext = Encoding.UTF8.GetBytes("seventeen bytes!!");
            var token = ring.Encrypt(plaintext);
            Assert.EndsWith("=", token.Token);
            using var reEncryptor = new TokenReEncryptor(ring);

            var newToken = Encoding.ASCII.GetString(reEncryptor.ReEncrypt(Encoding.ASCII.GetBytes(token.Token.TrimEnd('=')), token.KeyId));

            Assert.Equal(plaintext, ring.Decrypt(newToken, ring.Primary.Id));
        }

        [Fact]
        public void ReEncrypt_RefusesAnAlteredToken()
        {
            var ring = KeyRing.CreateNew();
            var token = Encoding.ASCII.GetBytes(ring.Encrypt(new byte[40]).Token);
            token[60] = (byte)(token[60] == 'A' ? 'B' : 'A');
            using var reEncryptor = new TokenReEncryptor(ring);

            Assert.Throws<InvalidFernetTokenException>(() => reEncryptor.ReEncrypt(token, ring.Primary.Id).Length);
        }

        [Fact]
        public void ReEncrypt_RefusesANonAsciiByte_ThatWouldWidenIntoAValidCharacter()
        {
            var ring = KeyRing.CreateNew();
            var token = Encoding.ASCII.GetBytes(ring.Encrypt(new byte[40]).Token);
            token[10] = (byte)(token[10] | 0x80);
            using var reEncryptor = new TokenReEncryptor(ring);

            Assert.Throws<InvalidFernetTokenException>(() => reEncryptor.ReEncrypt(token, ring.Primary.Id).Length);
        }

        [Fact]
        public void ReEncrypt_RefusesAKeyIdNotInTheRing()
        {
            var ring = KeyRing.CreateNew();
            var token = Encoding.ASCII.GetBytes(KeyRing.CreateNew().Encrypt(new byte[40]).Token);
            using var reEncryptor = new TokenReEncryptor(ring);

            Assert.Throws<KeyNotFoundInKeyRingException>(() => reEncryptor.ReEncrypt(token, "no-such-key").Length);
        }

        [Fact]
        public void ReEncrypt_ThenPythonDecrypts_ATokenPythonMade()
        {
            var old = KeyRing.CreateNew();
            var ring = old.WithNewPrimary(out _);
            var plaintext = Encoding.UTF8.GetBytes("{\"api_key\":\"organizations/x/apiKeys/y\",\"secret\":\"-----BEGIN EC PRIVATE KEY-----\"}");
            var pythonToken = PythonFernet.EncryptAll(old.Primary.Key.ToBase64Url(), new[] { plaintext })[0];
            using var reEncryptor = new TokenReEncryptor(ring);

            var newToken = reEncryptor.ReEncrypt(pythonToken, old.Primary.Id).ToArray();

            Assert.Equal(plaintext, PythonFernet.DecryptAll(ring.Primary.Key.ToBase64Url(), new[] { newToken })[0]);
        }

        [Fact]
        public void EncryptInto_RefusesADestinationTooShortForTheToken()
        {
            var key = FernetKey.Generate();

            Assert.Throws<ArgumentException>(() => Fernet.EncryptInto(key, new byte[20], 20, new char[Fernet.TokenLength(20) - 1]));
        }

        [Fact]
        public void DecryptInto_WritesThePlaintextOnly()
        {
            var key = FernetKey.Generate();
            var token = Fernet.Encrypt(key, Encoding.UTF8.GetBytes("hello"));
            var destination = new byte[Base64Url.MaxDecodedLength(token.Length)];

            var length = Fernet.DecryptInto(key, Encoding.ASCII.GetBytes(token), destination);

            Assert.Equal("hello", Encoding.UTF8.GetString(destination, 0, length));
            Assert.All(destination.Skip(length), b => Assert.Equal(0, b));
        }
    }
}
