using System;
using System.Collections.Generic;

namespace CryptoTrader
{
    /// <summary>The result of Test-CtAuditLog.</summary>
    public sealed class AuditVerification
    {
        public bool IsValid { get; internal set; }

        /// <summary>Records in the log.</summary>
        public long RecordCount { get; internal set; }

        /// <summary>The first record this verification walked: 1, or the one after the checkpoint with -Since Checkpoint.</summary>
        public long VerifiedFrom { get; internal set; } = 1;

        /// <summary>The sequence number of the first record that fails, if any.</summary>
        public long? FirstInvalidSequence { get; internal set; }

        /// <summary>What is wrong, or what was checked when all is well.</summary>
        public string Reason { get; internal set; } = string.Empty;

        /// <summary>The log's head now ("Sequence:ChainHash"): keep it and pass it as -ExpectedHead next time.</summary>
        public string? Head { get; internal set; }

        /// <summary>
        /// What was found wrong, and what earlier repairs recorded (RepairedAt set). Without -Detailed the walk stops at
        /// the first unrepaired problem; with it, every problem is listed.
        /// </summary>
        public IReadOnlyList<AuditFinding> Findings { get; internal set; } = Array.Empty<AuditFinding>();

        public override string ToString() => IsValid ? $"Valid ({RecordCount} records)" : $"INVALID at {FirstInvalidSequence}: {Reason}";
    }
}
