using System;
using System.Threading;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>
    /// An array that one thread lengthens while other threads use the elements it has already made room for. It grows
    /// by adding blocks, so elements never move: a write to one on another thread is never lost to a copy.
    /// Publish a new length to the other threads (with a volatile write) only after <see cref="EnsureLength"/>.
    /// </summary>
    internal sealed class GrowingArray<T>
    {
        private const int BlockShift = 10;
        private const int BlockLength = 1 << BlockShift;
        private const int IndexInBlock = BlockLength - 1;

        private T[][] blocks = new T[8][];
        private int length;

        /// <summary>How many elements there is room for (a whole number of blocks).</summary>
        public int Length => length;

        public ref T this[int index] => ref Volatile.Read(ref blocks)[index >> BlockShift][index & IndexInBlock];

        /// <summary>Makes room for at least <paramref name="needed"/> elements. One thread only.</summary>
        public void EnsureLength(int needed)
        {
            if (needed <= length)
            {
                return;
            }

            int blockCount = (needed + IndexInBlock) >> BlockShift;
            T[][] directory = blocks;
            if (blockCount > directory.Length)
            {
                // Readers holding the old directory still find every block in it.
                var larger = new T[Math.Max(blockCount, directory.Length * 2)][];
                Array.Copy(directory, larger, directory.Length);
                directory = larger;
            }

            for (int block = length >> BlockShift; block < blockCount; block++)
            {
                Volatile.Write(ref directory[block], new T[BlockLength]);
            }

            Volatile.Write(ref blocks, directory);
            length = blockCount << BlockShift;
        }
    }
}
