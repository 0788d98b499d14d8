using System;
using System.Collections.Generic;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Trading
{
    /// <summary>A refused or failed trade, carrying the audit records that describe it (the cmdlet writes them before the error).</summary>
    public sealed class TradeRejectedException : CtException
    {
        public TradeRejectedException(string errorId, CtErrorKind kind, string message, object? target, IReadOnlyList<AuditRecord> records, Exception? inner = null)
            : base(errorId, kind, message, target, inner)
        {
            Records = records;
        }

        public IReadOnlyList<AuditRecord> Records { get; }
    }
}
