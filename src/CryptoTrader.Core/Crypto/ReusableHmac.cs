using System;
#if NET
using System.Security.Cryptography;
using System.Threading;
#endif

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// HMAC-SHA256 under one key for many short messages: the keyed state is set up once instead of per message,
    /// which is most of the cost of a short MAC. One caller at a time uses it; a caller that finds it busy
    /// computes a one-shot MAC instead of waiting.
    /// </summary>
    internal sealed class ReusableHmac
    {
        private readonly byte[] key;
#if NET
        private readonly IncrementalHash hmac;
        private int busy;
#endif

        /// <param name="key">Kept, not copied: the caller must not change it.</param>
        public ReusableHmac(byte[] key)
        {
            this.key = key;
#if NET
            hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
#endif
        }

        /// <summary>The MAC into the first 32 bytes of <paramref name="destination"/>.</summary>
        public void Compute(byte[] data, int offset, int count, Span<byte> destination)
        {
#if NET
            if (Interlocked.CompareExchange(ref busy, 1, 0) == 0)
            {
                try
                {
                    hmac.AppendData(data, offset, count);
                    hmac.GetHashAndReset(destination);
                    return;
                }
                catch
                {
                    // Never let a half-fed state leak into the next MAC.
                    hmac.GetHashAndReset();
                    throw;
                }
                finally
                {
                    Volatile.Write(ref busy, 0);
                }
            }
#endif
            HmacSha256.Compute(key, data, offset, count).CopyTo(destination);
        }
    }
}
