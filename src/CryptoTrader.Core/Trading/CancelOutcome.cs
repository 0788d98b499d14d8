using System.Collections.Generic;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Trading
{
    /// <summary>What cancelling a credential's open orders did: every audit record written, and each cancel that failed.</summary>
    public sealed class CancelOutcome
    {
        private readonly List<AuditRecord> records = new List<AuditRecord>();
        private readonly List<CtException> failures = new List<CtException>();

        /// <summary>The PERMISSION_CHANGED record of a revocation that came with the cancels (null when there was none).</summary>
        public AuditRecord? Revocation { get; internal set; }

        /// <summary>The cancels' records, in order (each TRADE_REQUESTED with action cancel, then its outcome).</summary>
        public IReadOnlyList<AuditRecord> Records => records;

        /// <summary>Cancels the exchange refused or that failed; their records are in <see cref="Records"/> too.</summary>
        public IReadOnlyList<CtException> Failures => failures;

        internal void Add(IEnumerable<AuditRecord> cancelRecords) => records.AddRange(cancelRecords);

        internal void Add(TradeRejectedException failure)
        {
            records.AddRange(failure.Records);
            failures.Add(failure);
        }
    }
}
