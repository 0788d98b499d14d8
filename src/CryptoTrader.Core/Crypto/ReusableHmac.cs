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

        public byte[] Compute(byte[] data, int offset, int count)
        {
#if NET
            if (Interlocked.CompareExchange(ref busy, 1, 0) == 0)
            {
                try
                {
                    hmac.AppendData(data, offset, count);
                    return hmac.GetHashAndReset();
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
            return HmacSha256.Compute(key, data, offset, count);
        }
    }
}
