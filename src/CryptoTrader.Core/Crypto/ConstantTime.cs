using Org.BouncyCastle.Utilities;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// Comparisons whose running time does not depend on where the inputs differ (BouncyCastle's, one code path for
    /// both targets: .NET Framework has no CryptographicOperations.FixedTimeEquals).
    /// </summary>
    internal static class ConstantTime
    {
        /// <summary>Lengths are not secret (a MAC or a key has a fixed length), so different lengths return false at once.</summary>
        public static bool Equals(byte[] left, byte[] right) => left.Length == right.Length && Arrays.FixedTimeEquals(left, right);

        public static bool Equals(byte[] left, int leftOffset, byte[] right, int rightOffset, int length) =>
            Arrays.FixedTimeEquals(length, left, leftOffset, right, rightOffset);
    }
}
