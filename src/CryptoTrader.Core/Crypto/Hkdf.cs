using System;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>HKDF-SHA256 (RFC 5869) from BouncyCastle: one code path for .NET and .NET Framework, which has no HKDF class.</summary>
    internal static class Hkdf
    {
        public const int HashLength = 32;

        public static byte[] DeriveKey(byte[] ikm, int outputLength, byte[]? salt, byte[]? info)
        {
            if (ikm is null)
            {
                throw new ArgumentNullException(nameof(ikm));
            }
            if (outputLength <= 0 || outputLength > 255 * HashLength)
            {
                throw new ArgumentOutOfRangeException(nameof(outputLength), "HKDF-SHA256 output must be 1 to 8160 bytes.");
            }
            var generator = new HkdfBytesGenerator(new Sha256Digest());
            generator.Init(new HkdfParameters(ikm, salt, info));
            var output = new byte[outputLength];
            generator.GenerateBytes(output, 0, outputLength);
            return output;
        }
    }
}
