using System;
using System.Collections.Generic;

namespace CryptoTrader.Core.Crypto
{
    internal static class ByteArrays
    {
        public static byte[] Concat(params byte[][] parts) => Concat((IReadOnlyList<byte[]>)parts);

        /// <summary>The parts one after another in a new array.</summary>
        public static byte[] Concat(IReadOnlyList<byte[]> parts)
        {
            var length = 0;
            foreach (var part in parts)
            {
                length += part.Length;
            }
            var result = new byte[length];
            var offset = 0;
            foreach (var part in parts)
            {
                Buffer.BlockCopy(part, 0, result, offset, part.Length);
                offset += part.Length;
            }
            return result;
        }
    }
}
