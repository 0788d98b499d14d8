using System;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Audit
{
    /// <summary>The text columns of an audit_log row, in the order <see cref="AuditRowBatch.Select"/> reads them.</summary>
    internal enum AuditField
    {
        Timestamp,
        EventType,
        UserId,
        Details,
        KeyId,
        PreviousMac,
        Mac,
        Exchange,
    }

    /// <summary>
    /// A batch of audit_log rows as SQLite stores them (UTF-8), copied into one buffer that is reused batch after
    /// batch: Test-CtAuditLog reads a million records, and a string per field would be eight million objects.
    /// </summary>
    internal sealed class AuditRowBatch
    {
        /// <summary>Every row in sequence order: the sequence, then the <see cref="AuditField"/> columns.</summary>
        public const string Select = "SELECT sequence, timestamp, event_type, user_id, details, key_id, prev_mac, mac, exchange FROM audit_log ORDER BY sequence;";

        private const int FieldCount = 8;

        private readonly long[] sequences;
        private readonly int[] starts;
        private readonly int[] lengths;
        private readonly bool[] noExchange;
        private byte[] bytes = new byte[256 * 1024];

        public AuditRowBatch(int capacity)
        {
            sequences = new long[capacity];
            starts = new int[capacity * FieldCount];
            lengths = new int[capacity * FieldCount];
            noExchange = new bool[capacity];
        }

        public int Count { get; private set; }

        /// <summary>Replaces the batch with the next rows of <paramref name="select"/>, a statement over <see cref="Select"/>.</summary>
        /// <returns>False when no rows were left.</returns>
        public bool Fill(RawStatement select)
        {
            Count = 0;
            var used = 0;
            while (Count < sequences.Length && select.Step())
            {
                sequences[Count] = select.Int64(0);
                noExchange[Count] = select.IsNull(1 + (int)AuditField.Exchange);
                for (var field = 0; field < FieldCount; field++)
                {
                    var value = select.Bytes(1 + field);
                    if (bytes.Length - used < value.Length)
                    {
                        Array.Resize(ref bytes, Math.Max(bytes.Length * 2, used + value.Length));
                    }
                    value.CopyTo(new Span<byte>(bytes, used, value.Length));
                    starts[(Count * FieldCount) + field] = used;
                    lengths[(Count * FieldCount) + field] = value.Length;
                    used += value.Length;
                }
                Count++;
            }
            return Count > 0;
        }

        public long Sequence(int row) => sequences[row];

        public ReadOnlySpan<byte> this[int row, AuditField field]
        {
            get
            {
                var index = (row * FieldCount) + (int)field;
                return new ReadOnlySpan<byte>(bytes, starts[index], lengths[index]);
            }
        }

        /// <summary>Whether the row's exchange column is NULL (rather than text).</summary>
        public bool HasNoExchange(int row) => noExchange[row];
    }
}
