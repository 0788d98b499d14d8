using System;
using System.Numerics;
using System.Text;
using CryptoTrader.Core.KeyStores.Keyring;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    /// <summary>
    /// The dh-ietf1024-sha256-aes128-cbc-pkcs7 session. The end-to-end check against a second implementation is
    /// gnome-keyring itself (SecretServiceBackendTests: secret-tool reads what this code encrypted, and back).
    /// </summary>
    public sealed class SecretServiceDhTests
    {
        [Fact]
        public void ThePrime_IsTheSecondOakleyGroup()
        {
            var p = SecretServiceDh.Prime;
            Assert.Equal(1024, (int)p.GetBitLength());
            // RFC 2409 6.2: p = 2^1024 - 2^960 - 1 + 2^64 * { [2^894 pi] + 129093 }; its top and bottom 64 bits are all ones.
            Assert.Equal(ulong.MaxValue, (ulong)(p & ulong.MaxValue));
            Assert.Equal(ulong.MaxValue, (ulong)(p >> 960));
            foreach (var witness in new BigInteger[] { 2, 3, 5, 7, 11 })
            {
                Assert.Equal(BigInteger.One, BigInteger.ModPow(witness, p - 1, p));
            }
            // A safe prime: (p - 1) / 2 passes the same test.
            var q = (p - 1) / 2;
            Assert.Equal(BigInteger.One, BigInteger.ModPow(3, q - 1, q));
        }

        [Fact]
        public void TwoParties_DeriveTheSameAesKey()
        {
            var alice = new SecretServiceDh();
            var bob = new SecretServiceDh();
            var aliceKey = alice.DeriveAesKey(bob.PublicKey);
            Assert.Equal(16, aliceKey.Length);
            Assert.Equal(aliceKey, bob.DeriveAesKey(alice.PublicKey));
            Assert.NotEqual(aliceKey, new SecretServiceDh().DeriveAesKey(bob.PublicKey));
        }

        [Fact]
        public void KnownValues_PublicKeyAndKey()
        {
            // x = 1: the public key is g = 2 (one byte, big-endian, no padding); with peer key y the shared
            // secret is y itself, padded to 128 bytes, and the key is HKDF-SHA256(secret, no salt, empty info)[0..16].
            var one = new SecretServiceDh(BigInteger.One);
            Assert.Equal(new byte[] { 2 }, one.PublicKey);
            var peer = new byte[] { 1, 0 };
            var expected = System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256,
                SecretServiceDh.ToPaddedBytes(256), 16, Array.Empty<byte>(), Array.Empty<byte>());
            Assert.Equal(expected, one.DeriveAesKey(peer));
            Assert.Equal(128, SecretServiceDh.ToPaddedBytes(256).Length);
            Assert.Equal(0, SecretServiceDh.ToPaddedBytes(256)[0]);
        }

        [Fact]
        public void APeerKeyOutsideTheGroup_IsRefused()
        {
            var dh = new SecretServiceDh();
            Assert.Throws<System.Security.Cryptography.CryptographicException>(() => dh.DeriveAesKey(new byte[] { 1 }));
            Assert.Throws<System.Security.Cryptography.CryptographicException>(() => dh.DeriveAesKey(SecretServiceDh.ToBytes(SecretServiceDh.Prime - 1)));
        }

        [Fact]
        public void Secrets_RoundTrip_ThroughAesCbcWithTheIvApart()
        {
            var key = new SecretServiceDh().DeriveAesKey(new SecretServiceDh().PublicKey);
            var (iv, ciphertext) = SecretServiceDh.Encrypt(key, Encoding.UTF8.GetBytes("key ring"));
            Assert.Equal(16, iv.Length);
            Assert.Equal(16, ciphertext.Length);
            Assert.Equal("key ring", Encoding.UTF8.GetString(SecretServiceDh.Decrypt(key, iv, ciphertext)));
        }
    }
}
