using System;
using System.Globalization;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// The end of the log as the module last wrote it, kept outside the database (audit.head) with its own MAC: the
    /// last committed record, and the record a writer was about to commit (pending) while it held the head locked.
    /// A log whose last record is neither was cut off, rolled back, rewritten or extended outside the module.
    /// </summary>
    internal sealed class AuditHead
    {
        private const string Domain = "CryptoTrader.AuditHead.v2";

        private AuditHead(long sequence, string mac, long pendingSequence, string pendingMac, string keyId, string headMac, bool firstVersion)
        {
            Sequence = sequence;
            Mac = mac;
            PendingSequence = pendingSequence;
            PendingMac = pendingMac;
            KeyId = keyId;
            HeadMac = headMac;
            FirstVersion = firstVersion;
        }

        /// <summary>The last record committed (0 for an empty log).</summary>
        public long Sequence { get; }

        public string Mac { get; }

        /// <summary>The last record of a commit in progress (0 when none): after a crash the log may end there.</summary>
        public long PendingSequence { get; }

        public string PendingMac { get; }

        public string KeyId { get; }

        public string HeadMac { get; }

        /// <summary>A head written by an older module (no pending record, the first MAC).</summary>
        public bool FirstVersion { get; }

        public long HighestSequence => Math.Max(Sequence, PendingSequence);

        public static AuditHead Committed(long sequence, string mac, AuditChain chain) => Seal(sequence, mac, 0, string.Empty, chain);

        public static AuditHead Committing(long sequence, string mac, long pendingSequence, string pendingMac, AuditChain chain) =>
            Seal(sequence, mac, pendingSequence, pendingMac, chain);

        /// <summary>Whether the log may end at this record: the committed one, or the pending one.</summary>
        public bool Names(long sequence, string mac) =>
            (sequence == Sequence && AuditChain.HexEquals(mac, Mac))
            || (PendingSequence != 0 && sequence == PendingSequence && AuditChain.HexEquals(mac, PendingMac));

        /// <summary>Whether the head's own MAC is genuine. <see cref="KeyRingBehindException"/> when its key is not in the ring.</summary>
        public bool IsSealed(AuditChain chain)
        {
            if (!chain.CanVerify(KeyId))
            {
                throw new KeyRingBehindException(KeyId);
            }
            var expected = FirstVersion ? chain.HeadMac(Sequence, Mac, KeyId) : chain.StateMac(KeyId, Domain, Fields(Sequence, Mac, PendingSequence, PendingMac));
            return AuditChain.HexEquals(HeadMac, expected);
        }

        /// <summary>Why a log ending at <paramref name="lastSequence"/> does not end where this head says, or null when it does.</summary>
        public string? Mismatch(long lastSequence, string lastMac)
        {
            if (Names(lastSequence, lastMac))
            {
                return null;
            }
            if (lastSequence < Sequence)
            {
                return $"the log ends at record {lastSequence} but its head is record {Sequence}: records were cut off the end or the database was rolled back";
            }
            if (lastSequence > HighestSequence)
            {
                return $"the log ends at record {lastSequence} but its head is record {Sequence}: records were added outside CryptoTrader, or the head file was put back from earlier";
            }
            return $"record {lastSequence} is not the record the head names: the log was rewritten";
        }

        public string ToText() => string.Join(" ", "v2", Number(Sequence), Mac, Number(PendingSequence), PendingSequence == 0 ? "-" : PendingMac, KeyId, HeadMac);

        /// <summary>The head in <paramref name="text"/>, or null when it is not one (empty, damaged).</summary>
        public static AuditHead? Parse(string text)
        {
            var parts = text.Trim().Split(' ');
            if (parts.Length == 5 && parts[0] == "v1" && TryNumber(parts[1], out var sequence))
            {
                return new AuditHead(sequence, parts[2], 0, string.Empty, parts[3], parts[4], firstVersion: true);
            }
            if (parts.Length == 7 && parts[0] == "v2" && TryNumber(parts[1], out sequence) && TryNumber(parts[3], out var pending))
            {
                return new AuditHead(sequence, parts[2], pending, pending == 0 ? string.Empty : parts[4], parts[5], parts[6], firstVersion: false);
            }
            return null;
        }

        private static AuditHead Seal(long sequence, string mac, long pendingSequence, string pendingMac, AuditChain chain)
        {
            var keyId = chain.SigningKeyId;
            return new AuditHead(sequence, mac, pendingSequence, pendingMac, keyId,
                chain.StateMac(keyId, Domain, Fields(sequence, mac, pendingSequence, pendingMac)), firstVersion: false);
        }

        private static string Fields(long sequence, string mac, long pendingSequence, string pendingMac) =>
            Number(sequence) + " " + mac + " " + Number(pendingSequence) + " " + pendingMac;

        private static string Number(long value) => value.ToString("D19", CultureInfo.InvariantCulture);

        private static bool TryNumber(string text, out long value) =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 0;
    }
}
