using System.Collections.Generic;
using CryptoTrader.Core.Audit;

namespace CryptoTrader.Core.Security
{
    /// <summary>The audit chain verifies end to end (the same verification as Test-CtAuditLog).</summary>
    public sealed class AuditIntegrityCheck : ISecurityCheck
    {
        public const string CheckName = "AuditIntegrity";

        public string Name => CheckName;

        public IEnumerable<SecurityFinding> Run(SecurityContext context)
        {
            var target = context.Database.Path;
            var ring = context.KeyRing;
            if (ring is null)
            {
                var count = new AuditReader(context.Database).Count();
                if (count == 0)
                {
                    yield return new SecurityFinding(SecuritySeverity.Info, Name, target,
                        $"The audit log is empty, so there is nothing to verify ({context.KeyRingProblem}).", string.Empty);
                    yield break;
                }
                yield return new SecurityFinding(SecuritySeverity.Medium, Name, target,
                    $"The audit log ({count} records) could not be verified because the key ring is not available: {context.KeyRingProblem}",
                    "Make the key ring available (Unlock-CtKeyStore for the key file, unlock the vault or OS keyring), then run Test-CtSecurity or Test-CtAuditLog again.");
                yield break;
            }
            var result = new AuditVerifier(context.Database, context.Home, ring).Verify();
            if (result.IsValid)
            {
                yield return new SecurityFinding(SecuritySeverity.Info, Name, target,
                    $"The audit chain verifies: {result.RecordCount} records, head {result.Head ?? "(none)"}.", string.Empty);
                yield break;
            }
            yield return new SecurityFinding(SecuritySeverity.Critical, Name, target,
                $"The audit log fails verification at record {result.FirstInvalidSequence}: {result.Reason}",
                "Treat the data folder as tampered with: keep a copy for investigation, compare with a backup and an exported log (Export-CtAuditLog), " +
                "and check the stored keys and grants (Test-CtApiKey, Get-CtPermission).");
        }
    }
}
