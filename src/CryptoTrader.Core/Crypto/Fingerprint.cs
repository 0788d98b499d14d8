using System;
using System.Text;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// A short keyed hash that identifies a secret in output without revealing it. Being keyed, it
    /// cannot be brute-forced offline by someone who only sees the fingerprint.
    /// </summary>
    public static class Fingerprint
    {
        private const int HexBytes = 8;

        /// <summary>"fp:" + the first 16 lowercase hex digits of HMAC-SHA256(subkey, UTF-8 value).</summary>
        /// <param name="subkey">Normally <c>keyRing.DeriveSubkey(id, SubkeyPurpose.Fingerprint)</c>.</param>
        public static string Compute(byte[] subkey, string value)
        {
            if (subkey is null)
            {
                throw new ArgumentNullException(nameof(subkey));
            }

            if (subkey.Length == 0)
            {
                throw new ArgumentException("The fingerprint subkey must not be empty.", nameof(subkey));
            }

            if (value is null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            byte[] data = Encoding.UTF8.GetBytes(value);
            try
            {
                return Compute(subkey, data);
            }
            finally
            {
                Array.Clear(data, 0, data.Length);
            }
        }

        /// <summary>The same over raw bytes (key material that should not become a string).</summary>
        public static string Compute(byte[] subkey, byte[] data)
        {
            if (subkey is null || subkey.Length == 0)
            {
                throw new ArgumentException("The fingerprint subkey must not be empty.", nameof(subkey));
            }

            return "fp:" + Hex.ToLower(HmacSha256.Compute(subkey, data), HexBytes);
        }
    }
}
