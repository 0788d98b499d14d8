using System;
using System.Buffers;
using System.Collections.Generic;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>
    /// Credentials whose tokens a key rotation re-encrypts, with the tokens' UTF-8 text kept in a few large buffers:
    /// 10,000 tokens as strings would be tens of thousands of kilobyte-sized objects, and the garbage collections
    /// they cause cost more than the cryptography. The buffers come from the shared array pool, since memory the
    /// process touches for the first time is slow to get (a page fault per 4 KiB; on a virtual machine, dearly).
    /// A new token replaces the old one in its slot, which is sized so that it fits; threads may replace different
    /// rows at once. The tokens are ciphertext, so the buffers go back to the pool uncleared.
    /// </summary>
    internal sealed class PendingTokens : IDisposable
    {
        private const int ChunkLength = 1 << 20;

        private readonly List<byte[]> chunks = new List<byte[]>();
        private Row[] rows = new Row[256];
        private int used;

        public int Count { get; private set; }

        public string Exchange(int index) => At(index).Exchange;

        public string Name(int index) => At(index).Name;

        /// <summary>The id of the key that made the token as it was read.</summary>
        public string KeyId(int index) => At(index).KeyId;

        public ReadOnlySpan<byte> Token(int index)
        {
            var row = At(index);
            return new ReadOnlySpan<byte>(chunks[row.Chunk], row.Start, row.Length);
        }

        public void Add(string exchange, string name, string keyId, ReadOnlySpan<byte> token)
        {
            int slot = SlotLength(token.Length);
            if (chunks.Count == 0 || chunks[chunks.Count - 1].Length - used < slot)
            {
                chunks.Add(ArrayPool<byte>.Shared.Rent(Math.Max(ChunkLength, slot)));
                used = 0;
            }

            token.CopyTo(new Span<byte>(chunks[chunks.Count - 1], used, token.Length));
            if (Count == rows.Length)
            {
                Array.Resize(ref rows, rows.Length * 2);
            }
            rows[Count++] = new Row(exchange, name, keyId, chunks.Count - 1, used, token.Length, slot);
            used += slot;
        }

        /// <summary>Replaces row <paramref name="index"/>'s token. Safe from several threads for different rows, once all rows are added.</summary>
        public void Replace(int index, ReadOnlySpan<byte> token)
        {
            var row = At(index);
            if (token.Length > row.Slot)
            {
                throw new ArgumentException($"The new token for row {index} is longer than its old one allows.", nameof(token));
            }

            token.CopyTo(new Span<byte>(chunks[row.Chunk], row.Start, token.Length));
            rows[index] = row.WithLength(token.Length);
        }

        public void Dispose()
        {
            foreach (var chunk in chunks)
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
            chunks.Clear();
            Count = 0;
        }

        private Row At(int index) =>
            (uint)index < (uint)Count ? rows[index] : throw new ArgumentOutOfRangeException(nameof(index));

        // A new token holds as many bytes as the old one (the same plaintext under another key and IV), and its text is
        // padded to a whole base64 group, which an old token may lack. So a slot is the old length rounded up to 4.
        private static int SlotLength(int oldTokenLength) => (oldTokenLength + 3) / 4 * 4;

        private readonly struct Row
        {
            public Row(string exchange, string name, string keyId, int chunk, int start, int length, int slot)
            {
                Exchange = exchange;
                Name = name;
                KeyId = keyId;
                Chunk = chunk;
                Start = start;
                Length = length;
                Slot = slot;
            }

            public string Exchange { get; }

            public string Name { get; }

            public string KeyId { get; }

            public int Chunk { get; }

            public int Start { get; }

            public int Length { get; }

            public int Slot { get; }

            public Row WithLength(int length) => new Row(Exchange, Name, KeyId, Chunk, Start, length, Slot);
        }
    }
}
