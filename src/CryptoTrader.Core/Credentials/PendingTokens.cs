using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>
    /// Credentials whose tokens a key rotation re-encrypts, with their exchange, name and token kept as UTF-8 in a few
    /// large buffers: 10,000 rows as strings would be tens of thousands of objects, many of a kilobyte, and the garbage
    /// collections they cause cost more than the cryptography. The buffers come from the shared array pool, since memory the
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

        public string Exchange(int index)
        {
            var row = At(index);
            return Text(row.Chunk, row.Start, row.ExchangeLength);
        }

        public string Name(int index)
        {
            var row = At(index);
            return Text(row.Chunk, row.Start + row.ExchangeLength, row.NameLength);
        }

        public ReadOnlySpan<byte> ExchangeUtf8(int index)
        {
            var row = At(index);
            return new ReadOnlySpan<byte>(chunks[row.Chunk], row.Start, row.ExchangeLength);
        }

        public ReadOnlySpan<byte> NameUtf8(int index)
        {
            var row = At(index);
            return new ReadOnlySpan<byte>(chunks[row.Chunk], row.Start + row.ExchangeLength, row.NameLength);
        }

        /// <summary>The id of the key that made the token as it was read.</summary>
        public string KeyId(int index) => At(index).KeyId;

        public ReadOnlySpan<byte> Token(int index)
        {
            var row = At(index);
            return new ReadOnlySpan<byte>(chunks[row.Chunk], row.TokenStart, row.TokenLength);
        }

        /// <summary>Adds a row; exchange, name and token are UTF-8, as SQLite gives them (strings are made only on request).</summary>
        public void Add(ReadOnlySpan<byte> exchange, ReadOnlySpan<byte> name, string keyId, ReadOnlySpan<byte> token)
        {
            int slot = SlotLength(token.Length);
            int length = exchange.Length + name.Length + slot;
            if (chunks.Count == 0 || chunks[chunks.Count - 1].Length - used < length)
            {
                chunks.Add(ArrayPool<byte>.Shared.Rent(Math.Max(ChunkLength, length)));
                used = 0;
            }

            var chunk = chunks[chunks.Count - 1];
            exchange.CopyTo(new Span<byte>(chunk, used, exchange.Length));
            name.CopyTo(new Span<byte>(chunk, used + exchange.Length, name.Length));
            token.CopyTo(new Span<byte>(chunk, used + exchange.Length + name.Length, token.Length));
            if (Count == rows.Length)
            {
                Array.Resize(ref rows, rows.Length * 2);
            }
            rows[Count++] = new Row(keyId, chunks.Count - 1, used, exchange.Length, name.Length, token.Length, slot);
            used += length;
        }

        /// <summary>Replaces row <paramref name="index"/>'s token. Safe from several threads for different rows, once all rows are added.</summary>
        public void Replace(int index, ReadOnlySpan<byte> token)
        {
            var row = At(index);
            if (token.Length > row.TokenSlot)
            {
                throw new ArgumentException($"The new token for row {index} is longer than its old one allows.", nameof(token));
            }

            token.CopyTo(new Span<byte>(chunks[row.Chunk], row.TokenStart, token.Length));
            rows[index] = row.WithTokenLength(token.Length);
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

        private string Text(int chunk, int start, int length) => Encoding.UTF8.GetString(chunks[chunk], start, length);

        // A new token holds as many bytes as the old one (the same plaintext under another key and IV), and its text is
        // padded to a whole base64 group, which an old token may lack. So a slot is the old length rounded up to 4.
        private static int SlotLength(int oldTokenLength) => (oldTokenLength + 3) / 4 * 4;

        /// <summary>Where a row's exchange, name and token slot lie, one after the other, in a chunk.</summary>
        private readonly struct Row
        {
            public Row(string keyId, int chunk, int start, int exchangeLength, int nameLength, int tokenLength, int tokenSlot)
            {
                KeyId = keyId;
                Chunk = chunk;
                Start = start;
                ExchangeLength = exchangeLength;
                NameLength = nameLength;
                TokenLength = tokenLength;
                TokenSlot = tokenSlot;
            }

            public string KeyId { get; }

            public int Chunk { get; }

            public int Start { get; }

            public int ExchangeLength { get; }

            public int NameLength { get; }

            public int TokenStart => Start + ExchangeLength + NameLength;

            public int TokenLength { get; }

            public int TokenSlot { get; }

            public Row WithTokenLength(int length) => new Row(KeyId, Chunk, Start, ExchangeLength, NameLength, length, TokenSlot);
        }
    }
}
