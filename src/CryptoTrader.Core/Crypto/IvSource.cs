#if NET
using System;
using System.Security.Cryptography;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// Random IVs from a per-thread block of operating-system randomness: one call to the generator costs far
    /// more than 16 bytes of its output. An IV must be unpredictable but is published in the token, so holding
    /// unused random bytes is harmless; each byte is handed out once and then wiped.
    /// </summary>
    internal static class IvSource
    {
        private const int BlockLength = 4096;

        [ThreadStatic]
        private static byte[]? block;

        [ThreadStatic]
        private static int used;

        public static void Fill(Span<byte> destination)
        {
            if (destination.Length > BlockLength)
            {
                RandomNumberGenerator.Fill(destination);
                return;
            }

            byte[]? current = block;
            if (current is null || BlockLength - used < destination.Length)
            {
                current ??= block = new byte[BlockLength];
                RandomNumberGenerator.Fill(current);
                used = 0;
            }

            Span<byte> taken = current.AsSpan(used, destination.Length);
            taken.CopyTo(destination);
            taken.Clear();
            used += destination.Length;
        }
    }
}
#endif
