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
        private static readonly byte[] DomainField = LengthPrefixed(Domain);
        private readonly KeyRing ring;
        private readonly Dictionary<string, ReusableHmac> macs = new Dictionary<string, ReusableHmac>(StringComparer.Ordinal);

        public AuditChain(KeyRing ring)
        {
            this.ring = ring;
        }

        public string SigningKeyId => ring.Primary.Id;

        public string Mac(long sequence, string timestamp, string eventType, string userId, string details, string keyId, string previousMac)
        {
            Span<byte> mac = stackalloc byte[32];
            Compute(keyId, Domain, sequence, mac, timestamp, eventType, userId, details, keyId, previousMac);
            return Hex.ToLower(mac, mac.Length);
        }

        /// <summary>Whether <paramref name="expectedMac"/> (lowercase hex) is the MAC of these fields; makes no strings (Test-CtAuditLog runs it per record).</summary>
        public bool MacEquals(string expectedMac, long sequence, string timestamp, string eventType, string userId, string details, string keyId, string previousMac)
        {
            Span<byte> mac = stackalloc byte[32];
            Compute(keyId, Domain, sequence, mac, timestamp, eventType, userId, details, keyId, previousMac);
            Span<char> hex = stackalloc char[64];
            Hex.WriteLower(mac, hex);
            return expectedMac.AsSpan().SequenceEqual(hex);
        }

        /// <summary>
        /// <see cref="MacEquals(string, long, string, string, string, string, string, string)"/> of row <paramref name="row"/>
        /// as stored (SQLite's UTF-8), making no strings: Test-CtAuditLog runs it per record. For every record CryptoTrader
        /// wrote these are the very bytes the MAC was made of, since a .NET string always becomes valid UTF-8.
        /// </summary>
        public bool MacEquals(AuditRowBatch batch, int row, string keyId)
        {
            var length = DomainField.Length + sizeof(long);
            for (var field = AuditField.Timestamp; field <= AuditField.PreviousMac; field++)
            {
                length += sizeof(int) + batch[row, field].Length;
            }
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                DomainField.CopyTo(buffer, 0);
                var offset = DomainField.Length;
                BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(offset), batch.Sequence(row));
                offset += sizeof(long);
                // The fields in Compute's order: timestamp, event type, user id, details, key id, previous MAC.
                for (var field = AuditField.Timestamp; field <= AuditField.PreviousMac; field++)
                {
                    var value = batch[row, field];
                    BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(offset), value.Length);
                    value.CopyTo(buffer.AsSpan(offset + sizeof(int)));
                    offset += sizeof(int) + value.Length;
                }
                Span<byte> mac = stackalloc byte[32];
                MacFor(keyId).Compute(buffer, 0, offset, mac);
                Span<char> hex = stackalloc char[64];
                Hex.WriteLower(mac, hex);
                var expected = batch[row, AuditField.Mac];
                if (expected.Length != hex.Length)
                {
                    return false;
                }
                for (var i = 0; i < hex.Length; i++)
                {
                    if (expected[i] != hex[i])
                    {
                        return false;
                    }
                }
                return true;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>The MAC of a head ("sequence:mac") kept outside the database.</summary>
        public string HeadMac(long sequence, string mac, string keyId)
        {
            Span<byte> headMac = stackalloc byte[32];
            Compute(keyId, HeadDomain, sequence, headMac, mac, keyId);
            return Hex.ToLower(headMac, headMac.Length);
        }

        /// <summary>Whether one stored record's MAC is genuine (without walking the whole chain).</summary>
        public bool Seals(AuditRecord record) =>
            CanVerify(record.KeyId)
            && MacEquals(record.ChainHash, record.Sequence, record.TimestampText, record.EventType, record.UserId, record.DetailsJson, record.KeyId, record.PreviousHash);

        /// <summary>False when the key is not in the ring (then the record cannot be verified).</summary>
        public bool CanVerify(string keyId) => ring.Find(keyId) != null;

        private void Compute(string keyId, string domain, long sequence, Span<byte> mac, params string[] fields)
        {
            // field(domain) ‖ big-endian int64 sequence ‖ field(each), where field(s) = big-endian int32 length ‖ UTF-8 of s.
            // Length-prefixed, so no two different field lists produce the same bytes.
            var length = MaxFieldLength(domain) + sizeof(long);
            foreach (var field in fields)
            {
                length += MaxFieldLength(field);
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
                MacFor(keyId).Compute(buffer, 0, offset, mac);
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

        // An upper bound, so that sizing the buffer does not read every field once more.
        private static int MaxFieldLength(string value) => sizeof(int) + Encoding.UTF8.GetMaxByteCount(value.Length);

        private static byte[] LengthPrefixed(string value)
        {
            var buffer = new byte[MaxFieldLength(value)];
            return buffer.AsSpan(0, WriteField(buffer, 0, value)).ToArray();
        }

        private static int WriteField(byte[] buffer, int offset, string value)
        {
            var count = Encoding.UTF8.GetBytes(value, 0, value.Length, buffer, offset + sizeof(int));
            BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(offset), count);
            return offset + sizeof(int) + count;
        }
    }
}
