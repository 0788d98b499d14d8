using System.Management.Automation;
using CryptoTrader.Core.Audit;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>
    /// After a real incident: reports what is wrong with the audit log, then records it in an ERROR record, revokes every
    /// trading grant and re-anchors the log so that it can go on. The problems stay visible to Test-CtAuditLog -Detailed.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "CtAuditLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AuditRecord))]
    public sealed class RepairCtAuditLogCommand : CtCmdlet
    {
        internal override void Process(CtSession session)
        {
            var ring = RequireKeyRing(session);
            var repair = new AuditRepair(session.Database, session.Home, ring, session.Current.EffectiveAuditUserId, session.KeyRings());
            var problems = repair.Inspect();
            if (problems.Count == 0)
            {
                WriteVerbose("The audit log, its head and its state agree: there is nothing to repair.");
                return;
            }
            foreach (var problem in problems)
            {
                WriteWarning("Found: " + problem);
            }
            if (!ShouldProcess(session.Database.Path,
                $"Record {problems.Count} problem(s) of the audit log in an ERROR record, revoke every trading grant, and let the log go on from its last record"))
            {
                return;
            }
            WriteAuditRecords(repair.Repair());
        }
    }
}
