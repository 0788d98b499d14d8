#if NET8_0_OR_GREATER
using System;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace CryptoTrader.Core.KeyStores.Keyring
{
    /// <summary>
    /// The Secret Service's <c>dh-ietf1024-sha256-aes128-cbc-pkcs7</c> session: Diffie-Hellman in the second
    /// Oakley group (RFC 2409, 1024-bit, g = 2) with big-endian unsigned public keys; the AES-128 key is
    /// HKDF-SHA256 of the shared secret (padded to 128 bytes), no salt, empty info; secrets are AES-128-CBC, PKCS7.
    /// </summary>
    internal sealed class SecretServiceDh
    {
        public const string Algorithm = "dh-ietf1024-sha256-aes128-cbc-pkcs7";

        internal static readonly BigInteger Prime = BigInteger.Parse(
            "00FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
            "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

        internal static readonly BigInteger Generator = 2;

        internal const int PrimeLength = 128;

        private readonly BigInteger privateKey;

        public SecretServiceDh()
            : this(RandomPrivateKey())
        {
        }

        internal SecretServiceDh(BigInteger privateKey)
        {
            this.privateKey = privateKey;
            PublicKey = ToBytes(BigInteger.ModPow(Generator, privateKey, Prime));
        }

        /// <summary>Our public key, big-endian unsigned, for OpenSession's input.</summary>
        public byte[] PublicKey { get; }

        /// <summary>The AES-128 key from the peer's public key (OpenSession's output).</summary>
        public byte[] DeriveAesKey(byte[] peerPublicKey)
        {
            var peer = new BigInteger(peerPublicKey, isUnsigned: true, isBigEndian: true);
            if (peer <= BigInteger.One || peer >= Prime - BigInteger.One)
            {
                throw new CryptographicException("The Secret Service sent an invalid Diffie-Hellman public key.");
            }
            var shared = ToPaddedBytes(BigInteger.ModPow(peer, privateKey, Prime));
            try
            {
                return HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 16, salt: Array.Empty<byte>(), info: Array.Empty<byte>());
            }
            finally
            {
                Array.Clear(shared, 0, shared.Length);
            }
        }

        public static (byte[] Iv, byte[] Ciphertext) Encrypt(byte[] aesKey, byte[] plaintext)
        {
            using var aes = Aes.Create();
            aes.Key = aesKey;
            var iv = RandomNumberGenerator.GetBytes(16);
            return (iv, aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7));
        }

        public static byte[] Decrypt(byte[] aesKey, byte[] iv, byte[] ciphertext)
        {
            using var aes = Aes.Create();
            aes.Key = aesKey;
            return aes.DecryptCbc(ciphertext, iv, PaddingMode.PKCS7);
        }

        internal static byte[] ToBytes(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: true);

        internal static byte[] ToPaddedBytes(BigInteger value)
        {
            var bytes = ToBytes(value);
            if (bytes.Length == PrimeLength)
            {
                return bytes;
            }
            var padded = new byte[PrimeLength];
            Buffer.BlockCopy(bytes, 0, padded, PrimeLength - bytes.Length, bytes.Length);
            Array.Clear(bytes, 0, bytes.Length);
            return padded;
        }

        private static BigInteger RandomPrivateKey()
        {
            var bytes = RandomNumberGenerator.GetBytes(PrimeLength);
            try
            {
                // 1 < x < p - 1
                return new BigInteger(bytes, isUnsigned: true, isBigEndian: true) % (Prime - 3) + 2;
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }
    }
}
#endif
