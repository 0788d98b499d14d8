using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>
    /// Credentials whose tokens a key rotation re-encrypts: row id, key id, and exchange, name and token bytes kept in a
    /// few large buffers. 10,000 rows as strings would be tens of thousands of objects, many of a kilobyte, and the
    /// garbage collections they cause cost more than the cryptography. The buffers come from the shared array pool, since
    /// memory the process touches for the first time is slow to get (a page fault per 4 KiB; on a virtual machine, dearly).
    /// A new token replaces the old one in place: it is as long (the same plaintext under another key and IV). One thread
    /// adds rows; others may replace (or refuse) the rows already added meanwhile, each row by one thread, so nothing
    /// added ever moves. The tokens are ciphertext, so the buffers go back to the pool uncleared.
    /// </summary>
    internal sealed class PendingTokens : IDisposable
    {
        private const int ChunkLength = 1 << 20;

        private const int Refused = -1;

        private readonly List<byte[]> chunks = new List<byte[]>();
        private readonly GrowingArray<Row> rows = new GrowingArray<Row>();
        // Per row: 0 while its token is the one read, else the new token's length, or Refused.
        private readonly GrowingArray<int> outcomes = new GrowingArray<int>();
        private int used;
        private int count;
        private volatile bool complete;

        /// <summary>The rows added so far; each is whole once counted.</summary>
        public int Count => Volatile.Read(ref count);

        /// <summary>Whether every row has been added (<see cref="MarkComplete"/>).</summary>
        public bool IsComplete => complete;

        public void MarkComplete() => complete = true;

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

        /// <summary>The row's id in the credentials table.</summary>
        public long RowId(int index) => At(index).RowId;

        /// <summary>The id of the key that made the token as it was read.</summary>
        public string KeyId(int index) => At(index).KeyId;

        public ReadOnlySpan<byte> Token(int index)
        {
            var row = At(index);
            var outcome = Volatile.Read(ref outcomes[index]);
            return new ReadOnlySpan<byte>(row.Chunk, row.TokenStart, outcome > 0 ? outcome : row.TokenLength);
        }

        /// <summary>Adds a row; exchange and name are UTF-8, as SQLite gives them (strings are made only on request).</summary>
        public void Add(long rowId, ReadOnlySpan<byte> exchange, ReadOnlySpan<byte> name, string keyId, ReadOnlySpan<byte> token)
        {
            int length = exchange.Length + name.Length + token.Length;
            if (chunks.Count == 0 || chunks[chunks.Count - 1].Length - used < length)
            {
                chunks.Add(ArrayPool<byte>.Shared.Rent(Math.Max(ChunkLength, length)));
                used = 0;
            }

            var chunk = chunks[chunks.Count - 1];
            exchange.CopyTo(new Span<byte>(chunk, used, exchange.Length));
            name.CopyTo(new Span<byte>(chunk, used + exchange.Length, name.Length));
            token.CopyTo(new Span<byte>(chunk, used + exchange.Length + name.Length, token.Length));
            rows.EnsureLength(count + 1);
            outcomes.EnsureLength(count + 1);
            rows[count] = new Row(rowId, keyId, chunk, used, exchange.Length, name.Length, token.Length);
            Volatile.Write(ref count, count + 1);
            used += length;
        }

        /// <summary>Replaces row <paramref name="index"/>'s token (added already) with one no longer. Safe from several threads for different rows.</summary>
        public void Replace(int index, ReadOnlySpan<byte> token)
        {
            var row = At(index);
            if (token.Length == 0 || token.Length > row.TokenLength)
            {
                throw new ArgumentException($"The new token for row {index} is empty or longer than the old one.", nameof(token));
            }

            token.CopyTo(new Span<byte>(row.Chunk, row.TokenStart, token.Length));
            Volatile.Write(ref outcomes[index], token.Length);
        }

        /// <summary>Marks row <paramref name="index"/> as one whose token cannot be re-encrypted (it failed its check).</summary>
        public void Refuse(int index)
        {
            At(index);
            Volatile.Write(ref outcomes[index], Refused);
        }

        /// <summary>Whether row <paramref name="index"/> (already added) was replaced or refused.</summary>
        public bool IsSettled(int index) => Volatile.Read(ref outcomes[index]) != 0;

        /// <summary>Whether row <paramref name="index"/> (already added) holds its new token.</summary>
        public bool IsReplaced(int index) => Volatile.Read(ref outcomes[index]) > 0;

        public void Dispose()
        {
            foreach (var chunk in chunks)
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
            chunks.Clear();
            count = 0;
        }

        private Row At(int index) =>
            (uint)index < (uint)Count ? rows[index] : throw new ArgumentOutOfRangeException(nameof(index));

        private static string Text(byte[] chunk, int start, int length) => Encoding.UTF8.GetString(chunk, start, length);

        /// <summary>Where a row's exchange, name and token lie, one after the other, in a chunk.</summary>
        private readonly struct Row
        {
            public Row(long rowId, string keyId, byte[] chunk, int start, int exchangeLength, int nameLength, int tokenLength)
            {
                RowId = rowId;
                KeyId = keyId;
                Chunk = chunk;
                Start = start;
                ExchangeLength = exchangeLength;
                NameLength = nameLength;
                TokenLength = tokenLength;
            }

            public long RowId { get; }

            public string KeyId { get; }

            public byte[] Chunk { get; }

            public int Start { get; }

            public int ExchangeLength { get; }

            public int NameLength { get; }

            public int TokenStart => Start + ExchangeLength + NameLength;

            public int TokenLength { get; }
        }
    }
}
