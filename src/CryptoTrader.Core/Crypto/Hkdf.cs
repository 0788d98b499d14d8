using System;
#if NET
using System.Security.Cryptography;
#endif

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// HKDF-SHA256 (RFC 5869): the platform's HKDF class on .NET, which keeps no copy of the input key; BouncyCastle's on
    /// .NET Framework, which has no HKDF class (<see cref="DeriveKeyWithBouncyCastle"/>, compiled on both so tests compare them).
    /// </summary>
    internal static class Hkdf
    {
        public const int HashLength = 32;

        public static byte[] DeriveKey(byte[] ikm, int outputLength, byte[]? salt, byte[]? info)
        {
            CheckArguments(ikm, outputLength);
#if NET
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, outputLength, salt ?? Array.Empty<byte>(), info ?? Array.Empty<byte>());
#else
            return DeriveKeyWithBouncyCastle(ikm, outputLength, salt, info);
#endif
        }

        internal static byte[] DeriveKeyWithBouncyCastle(byte[] ikm, int outputLength, byte[]? salt, byte[]? info)
        {
            CheckArguments(ikm, outputLength);
            var generator = new Org.BouncyCastle.Crypto.Generators.HkdfBytesGenerator(new Org.BouncyCastle.Crypto.Digests.Sha256Digest());
            generator.Init(new Org.BouncyCastle.Crypto.Parameters.HkdfParameters(ikm, salt, info));
            var output = new byte[outputLength];
            generator.GenerateBytes(output, 0, outputLength);
            return output;
        }

        private static void CheckArguments(byte[] ikm, int outputLength)
        {
            if (ikm is null)
            {
                throw new ArgumentNullException(nameof(ikm));
            }
            if (outputLength <= 0 || outputLength > 255 * HashLength)
            {
                throw new ArgumentOutOfRangeException(nameof(outputLength), "HKDF-SHA256 output must be 1 to 8160 bytes.");
            }
        }
    }
}
