using System;
using System.Collections.Generic;
using System.IO;
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
        private readonly Dictionary<string, byte[]> subkeys = new Dictionary<string, byte[]>(StringComparer.Ordinal);

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
            using var buffer = new MemoryStream(256);
            WriteField(buffer, domain);
            var sequenceBytes = BitConverter.GetBytes(sequence);
            if (BitConverter.IsLittleEndian)
            {
                Array.Reverse(sequenceBytes);
            }
            buffer.Write(sequenceBytes, 0, sequenceBytes.Length);
            foreach (var field in fields)
            {
                WriteField(buffer, field);
            }
            var mac = HmacSha256.Compute(Subkey(keyId), buffer.GetBuffer(), 0, (int)buffer.Length);
            return Hex.ToLower(mac, mac.Length);
        }

        private byte[] Subkey(string keyId)
        {
            if (!subkeys.TryGetValue(keyId, out var subkey))
            {
                subkey = ring.DeriveSubkey(keyId, SubkeyPurpose.AuditChain);
                subkeys[keyId] = subkey;
            }
            return subkey;
        }

        // Length-prefixed, so no two different field lists produce the same bytes.
        private static void WriteField(Stream stream, string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            var length = BitConverter.GetBytes(bytes.Length);
            if (BitConverter.IsLittleEndian)
            {
                Array.Reverse(length);
            }
            stream.Write(length, 0, length.Length);
            stream.Write(bytes, 0, bytes.Length);
        }
    }
}
