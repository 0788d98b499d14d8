using System.Management.Automation;
using CryptoTrader.Core.Audit;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Verifies the whole audit chain and, optionally, that it still reaches a head seen earlier.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "CtAuditLog")]
    [OutputType(typeof(AuditVerification))]
    public sealed class TestCtAuditLogCommand : CtCmdlet
    {
        /// <summary>"Sequence:ChainHash" from an earlier result's Head (or a record's Head).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Head")]
        [ValidateNotNullOrEmpty]
        public string? ExpectedHead { get; set; }

        /// <summary>Checkpoint: walk only the records after the last position a verification reached (the end is checked in full).</summary>
        [Parameter]
        [ValidateSet("Beginning", "Checkpoint", IgnoreCase = true)]
        public string Since { get; set; } = "Beginning";

        /// <summary>Walk on past problems and list every one, and the repairs recorded earlier, in Findings.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        internal override void Process(CtSession session)
        {
            var ring = RequireKeyRing(session);
            var sinceCheckpoint = string.Equals(Since, "Checkpoint", System.StringComparison.OrdinalIgnoreCase);
            var result = new AuditVerifier(session.Database, session.Home, ring).Verify(ExpectedHead, Detailed.IsPresent, sinceCheckpoint, keepCheckpoint: true);
            if (!result.IsValid && Refresher(session)(ring) is { } newer)
            {
                // Records sealed under a key this ring lacks (another session rotated meanwhile) are checked with the store's ring.
                result = new AuditVerifier(session.Database, session.Home, newer).Verify(ExpectedHead, Detailed.IsPresent, sinceCheckpoint, keepCheckpoint: true);
            }
            if (!result.IsValid)
            {
                WriteWarning("The audit log failed verification: " + result.Reason);
            }
            WriteObject(result);
        }
    }
}
