using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using CryptoTrader.Core.Crypto;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// The MAC that links audit records: HMAC-SHA256, under the key ring's audit-chain subkey of the
    /// record's key id, over every stored field and the previous record's MAC. Without the key ring,
    /// nobody can produce a valid chain.
    /// </summary>
    internal sealed class AuditChain
    {
        private const string Domain = "CryptoTrader.Audit.v1";
        private const string HeadDomain = "CryptoTrader.AuditHead.v1";
        private readonly KeyRing ring;
        private readonly Dictionary<string, ReusableHmac> macs = new Dictionary<string, ReusableHmac>(StringComparer.Ordinal);

        public AuditChain(KeyRing ring)
        {
            this.ring = ring;
        }

        public string SigningKeyId => ring.Primary.Id;

        public string Mac(long sequence, string timestamp, string eventType, string userId, string details, string keyId, string previousMac) =>
            Compute(keyId, Domain, sequence, timestamp, eventType, userId, details, keyId, previousMac);

        /// <summary>The MAC of a head ("sequence:mac") kept outside the database.</summary>
        public string HeadMac(long sequence, string mac, string keyId) => Compute(keyId, HeadDomain, sequence, mac, keyId);

        /// <summary>Whether one stored record's MAC is genuine (without walking the whole chain).</summary>
        public bool Seals(AuditRecord record) =>
            CanVerify(record.KeyId)
            && string.Equals(record.ChainHash, Mac(record.Sequence, record.TimestampText, record.EventType, record.UserId, record.DetailsJson, record.KeyId, record.PreviousHash), StringComparison.Ordinal);

        /// <summary>False when the key is not in the ring (then the record cannot be verified).</summary>
        public bool CanVerify(string keyId) => ring.Find(keyId) != null;

        private string Compute(string keyId, string domain, long sequence, params string[] fields)
        {
            // field(domain) ‖ big-endian int64 sequence ‖ field(each), where field(s) = big-endian int32 length ‖ UTF-8 of s.
            // Length-prefixed, so no two different field lists produce the same bytes.
            var length = FieldLength(domain) + sizeof(long);
            foreach (var field in fields)
            {
                length += FieldLength(field);
            }
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var offset = WriteField(buffer, 0, domain);
                BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(offset), sequence);
                offset += sizeof(long);
                foreach (var field in fields)
                {
                    offset = WriteField(buffer, offset, field);
                }
                var mac = MacFor(keyId).Compute(buffer, 0, offset);
                return Hex.ToLower(mac, mac.Length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private ReusableHmac MacFor(string keyId)
        {
            if (!macs.TryGetValue(keyId, out var mac))
            {
                mac = new ReusableHmac(ring.DeriveSubkey(keyId, SubkeyPurpose.AuditChain));
                macs[keyId] = mac;
            }
            return mac;
        }

        private static int FieldLength(string value) => sizeof(int) + Encoding.UTF8.GetByteCount(value);

        private static int WriteField(byte[] buffer, int offset, string value)
        {
            var count = Encoding.UTF8.GetBytes(value, 0, value.Length, buffer, offset + sizeof(int));
            BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(offset), count);
            return offset + sizeof(int) + count;
        }
    }
}
