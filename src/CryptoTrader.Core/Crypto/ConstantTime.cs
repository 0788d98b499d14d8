using System;
#if NET
using System.Security.Cryptography;
#endif

namespace CryptoTrader.Core.Crypto
{
    /// <summary>Comparisons whose running time does not depend on where the inputs differ.</summary>
    internal static class ConstantTime
    {
        public static bool Equals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
        {
#if NET
            return CryptographicOperations.FixedTimeEquals(left, right);
#else
            return ManagedEquals(left, right);
#endif
        }

        // Compiled on every target so tests on net8 exercise the path net472 uses in production.
        internal static bool ManagedEquals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
        {
            // Lengths are not secret (a MAC always has a fixed length), so an early exit is fine.
            if (left.Length != right.Length)
            {
                return false;
            }

            int difference = 0;
            for (int i = 0; i < left.Length; i++)
            {
                difference |= left[i] ^ right[i];
            }

            return difference == 0;
        }
    }
}
