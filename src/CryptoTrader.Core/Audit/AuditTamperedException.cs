using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Audit
{
    /// <summary>The end of the log, its head or its state do not agree: nothing may be written or sent (AuditLogTampered).</summary>
    internal sealed class AuditTamperedException : CtException
    {
        public AuditTamperedException(string why)
            : base(ErrorIds.AuditLogTampered, CtErrorKind.SecurityError,
                $"The audit log was changed outside CryptoTrader ({why}), so nothing was written or sent. " +
                "See Test-CtAuditLog -Detailed for what changed; once the incident is understood, Repair-CtAuditLog records it and lets the log go on.",
                "audit_log")
        {
            Why = why;
        }

        /// <summary>What was found, in a phrase.</summary>
        public string Why { get; }
    }
}
