using System;
using CryptoTrader.Core.Audit;

namespace CryptoTrader
{
    /// <summary>
    /// One audit record, a plain object: Export-Csv, ConvertTo-Json and Get-Member see its properties. The persisted
    /// JSON shape ({timestamp, event_type, user_id, details}) is written by Export-CtAuditLog (<see cref="AuditExporter"/>).
    /// </summary>
    public sealed class AuditRecord
    {
        internal AuditRecord(long sequence, string timestamp, string eventType, string userId, string detailsJson, string keyId, string previousHash, string chainHash)
        {
            Sequence = sequence;
            TimestampText = timestamp;
            Timestamp = AuditTime.Parse(timestamp);
            EventType = eventType;
            UserId = userId;
            DetailsJson = detailsJson;
            Details = new AuditRecordDetails(AuditJson.ReadDetails(detailsJson));
            KeyId = keyId;
            PreviousHash = previousHash;
            ChainHash = chainHash;
        }

        /// <summary>Position in the chain, from 1.</summary>
        public long Sequence { get; }

        /// <summary>When it happened: UTC (Kind Utc), whole seconds.</summary>
        public DateTime Timestamp { get; }

        public string EventType { get; }

        public string UserId { get; }

        /// <summary>Event-specific values (exchange, action, fingerprint, ...), read-only; as text "key=value; key=value". Never secrets.</summary>
        public AuditRecordDetails Details { get; }

        /// <summary>HMAC-SHA256 over this record and the previous record's ChainHash, hex.</summary>
        public string ChainHash { get; }

        /// <summary>The ChainHash of the record before this one (empty for the first).</summary>
        public string PreviousHash { get; }

        /// <summary>The key ring entry whose audit subkey made ChainHash.</summary>
        public string KeyId { get; }

        /// <summary>The head that Test-CtAuditLog -ExpectedHead accepts: "Sequence:ChainHash".</summary>
        public string Head => Sequence + ":" + ChainHash;

        internal string TimestampText { get; }

        internal string DetailsJson { get; }

        public override string ToString() => $"{TimestampText} {EventType} {UserId} {DetailsJson}";
    }
}
