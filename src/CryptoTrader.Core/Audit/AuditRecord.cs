using System;
using System.Collections;
using System.Collections.Specialized;
using CryptoTrader.Core.Audit;

namespace CryptoTrader
{
    /// <summary>
    /// One audit record. Scripts read the typed properties (Timestamp, EventType, UserId, Details,
    /// Sequence, ChainHash). As a dictionary it is exactly the persisted JSON shape
    /// (timestamp, event_type, user_id, details), so <c>ConvertTo-Json</c> and Export-CtAuditLog agree.
    /// </summary>
    public sealed class AuditRecord : IDictionary
    {
        private readonly OrderedDictionary json;

        internal AuditRecord(long sequence, string timestamp, string eventType, string userId, string detailsJson, string keyId, string previousHash, string chainHash)
        {
            Sequence = sequence;
            TimestampText = timestamp;
            Timestamp = AuditTime.Parse(timestamp);
            EventType = eventType;
            UserId = userId;
            DetailsJson = detailsJson;
            Details = AuditJson.ReadDetails(detailsJson);
            KeyId = keyId;
            PreviousHash = previousHash;
            ChainHash = chainHash;
            json = new OrderedDictionary(StringComparer.Ordinal)
            {
                ["timestamp"] = timestamp,
                ["event_type"] = eventType,
                ["user_id"] = userId,
                ["details"] = Details,
            };
            json = json.AsReadOnly();
        }

        /// <summary>Position in the chain, from 1.</summary>
        public long Sequence { get; }

        /// <summary>When it happened, UTC, whole seconds.</summary>
        public DateTime Timestamp { get; }

        public string EventType { get; }

        public string UserId { get; }

        /// <summary>Event-specific values (exchange, action, fingerprint, ...). Never secrets.</summary>
        public IDictionary Details { get; }

        /// <summary>HMAC-SHA256 over this record and the previous record's ChainHash, hex.</summary>
        public string ChainHash { get; }

        /// <summary>The ChainHash of the record before this one (empty for the first).</summary>
        public string PreviousHash { get; }

        /// <summary>The key ring entry whose audit subkey made ChainHash.</summary>
        public string KeyId { get; }

        internal string TimestampText { get; }

        internal string DetailsJson { get; }

        /// <summary>The head that Test-CtAuditLog -ExpectedHead accepts: "Sequence:ChainHash".</summary>
        public string Head => Sequence + ":" + ChainHash;

        public override string ToString() => $"{TimestampText} {EventType} {UserId} {DetailsJson}";

        bool IDictionary.IsFixedSize => true;

        bool IDictionary.IsReadOnly => true;

        ICollection IDictionary.Keys => json.Keys;

        ICollection IDictionary.Values => json.Values;

        int ICollection.Count => json.Count;

        bool ICollection.IsSynchronized => false;

        object ICollection.SyncRoot => json;

        object? IDictionary.this[object key]
        {
            get => json[key];
            set => throw new NotSupportedException("Audit records cannot be changed.");
        }

        void IDictionary.Add(object key, object? value) => throw new NotSupportedException("Audit records cannot be changed.");

        void IDictionary.Clear() => throw new NotSupportedException("Audit records cannot be changed.");

        bool IDictionary.Contains(object key) => json.Contains(key);

        IDictionaryEnumerator IDictionary.GetEnumerator() => json.GetEnumerator();

        void IDictionary.Remove(object key) => throw new NotSupportedException("Audit records cannot be changed.");

        void ICollection.CopyTo(Array array, int index) => ((ICollection)json).CopyTo(array, index);

        IEnumerator IEnumerable.GetEnumerator() => json.GetEnumerator();
    }
}
