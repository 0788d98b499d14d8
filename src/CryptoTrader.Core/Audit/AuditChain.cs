using System;
using System.Collections.Concurrent;
using System.IO;
using System.Security.Cryptography;
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

        // A keyed HMAC per key id, reused: deriving and keying it costs more than MACing a record.
        private readonly ConcurrentDictionary<string, HMACSHA256> macs = new ConcurrentDictionary<string, HMACSHA256>(StringComparer.Ordinal);

        public AuditChain(KeyRing ring)
        {
            this.ring = ring;
        }

        public KeyRing Ring => ring;

        public string SigningKeyId => ring.Primary.Id;

        public string Mac(long sequence, string timestamp, string eventType, string userId, string details, string keyId, string previousMac) =>
            Compute(keyId, Domain, sequence, timestamp, eventType, userId, details, keyId, previousMac);

        /// <summary>Whether <paramref name="expectedMac"/> (lowercase hex) is the MAC of these fields, compared in constant time.</summary>
        public bool MacEquals(string expectedMac, long sequence, string timestamp, string eventType, string userId, string details, string keyId, string previousMac) =>
            HexEquals(expectedMac, Mac(sequence, timestamp, eventType, userId, details, keyId, previousMac));

        /// <summary>The MAC of a head ("sequence:mac") kept outside the database.</summary>
        public string HeadMac(long sequence, string mac, string keyId) => Compute(keyId, HeadDomain, sequence, mac, keyId);

        /// <summary>The MAC of a value the module keeps beside the chain (the audit state, a checkpoint), under its own domain.</summary>
        public string StateMac(string keyId, string domain, string value) => Compute(keyId, domain, 0, value, keyId);

        /// <summary>Whether one stored record's MAC is genuine (without walking the whole chain).</summary>
        public bool Seals(AuditRecord record) =>
            CanVerify(record.KeyId)
            && MacEquals(record.ChainHash, record.Sequence, record.TimestampText, record.EventType, record.UserId, record.DetailsJson, record.KeyId, record.PreviousHash);

        /// <summary>False when the key is not in the ring (then the record cannot be verified).</summary>
        public bool CanVerify(string keyId) => ring.Find(keyId) != null;

        /// <summary>Two lowercase-hex MACs compared in constant time.</summary>
        public static bool HexEquals(string? left, string right) =>
            left != null && ConstantTime.Equals(Encoding.ASCII.GetBytes(left), Encoding.ASCII.GetBytes(right));

        // field(domain) ‖ big-endian int64 sequence ‖ field(each), where field(s) = big-endian int32 length ‖ UTF-8 of s.
        // Length-prefixed, so no two different field lists produce the same bytes.
        private string Compute(string keyId, string domain, long sequence, params string[] fields)
        {
            using var buffer = new MemoryStream();
            WriteField(buffer, domain);
            WriteBigEndian(buffer, (ulong)sequence, sizeof(long));
            foreach (var field in fields)
            {
                WriteField(buffer, field);
            }
            var hmac = macs.GetOrAdd(keyId, Keyed);
            byte[] mac;
            lock (hmac)
            {
                mac = hmac.ComputeHash(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
            return Hex.ToLower(mac, mac.Length);
        }

        private HMACSHA256 Keyed(string keyId)
        {
            var subkey = ring.DeriveSubkey(keyId, SubkeyPurpose.AuditChain);
            try
            {
                return new HMACSHA256(subkey);
            }
            finally
            {
                Array.Clear(subkey, 0, subkey.Length);
            }
        }

        private static void WriteField(MemoryStream buffer, string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            WriteBigEndian(buffer, (ulong)bytes.Length, sizeof(int));
            buffer.Write(bytes, 0, bytes.Length);
        }

        private static void WriteBigEndian(MemoryStream buffer, ulong value, int size)
        {
            for (var shift = (size - 1) * 8; shift >= 0; shift -= 8)
            {
                buffer.WriteByte((byte)(value >> shift));
            }
        }
    }
}
