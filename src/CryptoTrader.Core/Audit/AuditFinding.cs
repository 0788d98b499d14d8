namespace CryptoTrader
{
    /// <summary>One thing Test-CtAuditLog -Detailed found wrong in the log, and the repair that recorded it, if any.</summary>
    public sealed class AuditFinding
    {
        internal AuditFinding(long? sequence, string kind, string problem, string key)
        {
            Sequence = sequence;
            Kind = kind;
            Problem = problem;
            Key = key;
        }

        /// <summary>The record it concerns (null for the head file or the audit state).</summary>
        public long? Sequence { get; }

        /// <summary>Missing, OutOfOrder, Unlinked, UnknownKey, Changed, Head, State or Repair.</summary>
        public string Kind { get; }

        public string Problem { get; }

        /// <summary>The sequence of the Repair-CtAuditLog record that recorded this finding; null while unrepaired.</summary>
        public long? RepairedAt { get; internal set; }

        /// <summary>What a repair record names to acknowledge exactly this observation (kind, place and evidence).</summary>
        internal string Key { get; }

        public override string ToString() => (Sequence.HasValue ? $"record {Sequence}: " : string.Empty) + Problem +
            (RepairedAt.HasValue ? $" (repaired at record {RepairedAt})" : string.Empty);
    }
}
