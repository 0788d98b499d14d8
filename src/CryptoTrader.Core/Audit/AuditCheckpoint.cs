using System.Collections.Generic;
using System.Globalization;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// The last position Test-CtAuditLog verified (sequence and MAC of that record), MAC'd and kept in the settings, so
    /// a daily check can verify only the records after it (-Since Checkpoint). Put back older, it only costs more work;
    /// it cannot be forged without the key ring; what it cannot see is a change to a record before it, which a full
    /// verification finds.
    /// </summary>
    internal sealed class AuditCheckpoint
    {
        private const string Domain = "CryptoTrader.AuditCheckpoint.v1";

        private AuditCheckpoint(long sequence, string mac)
        {
            Sequence = sequence;
            Mac = mac;
        }

        public long Sequence { get; }

        public string Mac { get; }

        /// <summary>The stored checkpoint when its MAC holds and its record is still in the log with that MAC; else null.</summary>
        public static AuditCheckpoint? Read(CtDatabase database, AuditChain chain)
        {
            var parts = (new SettingsStore(database).Get(SettingNames.AuditCheckpoint) ?? string.Empty).Split(' ');
            if (parts.Length != 4 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1
                || !chain.CanVerify(parts[2]) || !AuditChain.HexEquals(parts[3], chain.StateMac(parts[2], Domain, parts[0] + " " + parts[1])))
            {
                return null;
            }
            var record = new AuditReader(database).Find(sequence);
            return record != null && AuditChain.HexEquals(record.ChainHash, parts[1]) && chain.Seals(record) ? new AuditCheckpoint(sequence, parts[1]) : null;
        }

        public static void Save(CtDatabase database, AuditChain chain, long sequence, string mac)
        {
            var fields = sequence.ToString(CultureInfo.InvariantCulture) + " " + mac;
            var keyId = chain.SigningKeyId;
            new SettingsStore(database).Set(new Dictionary<string, string?>
            {
                [SettingNames.AuditCheckpoint] = fields + " " + keyId + " " + chain.StateMac(keyId, Domain, fields),
            });
        }
    }
}
