using System;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// HKDF-SHA256 written out from RFC 5869, for .NET Framework which has no HKDF class.
    /// Compiled on every target so the tests running on .NET can check it against the platform.
    /// </summary>
    internal static class ManagedHkdf
    {
        public const int HashLength = 32;

        public static byte[] Extract(byte[] ikm, byte[]? salt)
        {
            // RFC 5869 §2.2: an absent salt is HashLen zero bytes.
            byte[] effectiveSalt = salt is null || salt.Length == 0 ? new byte[HashLength] : salt;
            return HmacSha256.Compute(effectiveSalt, ikm);
        }

        public static byte[] Expand(byte[] prk, int outputLength, byte[]? info)
        {
            if (outputLength <= 0 || outputLength > 255 * HashLength)
            {
                throw new ArgumentOutOfRangeException(nameof(outputLength), "HKDF-SHA256 output must be 1 to 8160 bytes.");
            }

            byte[] infoBytes = info ?? new byte[0];
            byte[] output = new byte[outputLength];
            byte[] block = new byte[HashLength + infoBytes.Length + 1];
            byte[] previous = new byte[0];
            int written = 0;
            for (byte counter = 1; written < outputLength; counter++)
            {
                // T(n) = HMAC(PRK, T(n-1) | info | n)
                Buffer.BlockCopy(previous, 0, block, 0, previous.Length);
                Buffer.BlockCopy(infoBytes, 0, block, previous.Length, infoBytes.Length);
                block[previous.Length + infoBytes.Length] = counter;
                previous = HmacSha256.Compute(prk, block, 0, previous.Length + infoBytes.Length + 1);

                int take = Math.Min(HashLength, outputLength - written);
                Buffer.BlockCopy(previous, 0, output, written, take);
                written += take;
            }

            Array.Clear(block, 0, block.Length);
            Array.Clear(previous, 0, previous.Length);
            return output;
        }

        public static byte[] DeriveKey(byte[] ikm, int outputLength, byte[]? salt, byte[]? info)
        {
            byte[] prk = Extract(ikm, salt);
            try
            {
                return Expand(prk, outputLength, info);
            }
            finally
            {
                Array.Clear(prk, 0, prk.Length);
            }
        }
    }
}
