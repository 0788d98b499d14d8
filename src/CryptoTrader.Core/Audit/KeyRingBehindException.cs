using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// The log's state was sealed with a key the writer's ring lacks: most likely another session rotated the key ring
    /// since this one read it. <see cref="AuditLog"/> reads the ring again once; if the key is still unknown, the
    /// state cannot be trusted.
    /// </summary>
    internal sealed class KeyRingBehindException : CtException
    {
        public KeyRingBehindException(string keyId)
            : base(ErrorIds.AuditLogTampered, CtErrorKind.SecurityError,
                $"The audit log's state was sealed with key {keyId}, which is not in the key ring, so nothing was written or sent. " +
                "If another session rotated the key ring, run the command again; otherwise the log was changed outside CryptoTrader (see Test-CtAuditLog -Detailed).",
                "audit_state")
        {
        }
    }
}
