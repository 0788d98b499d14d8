using System.IO;
using System.Management.Automation;
using CryptoTrader.Core.Audit;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Writes audit records to a file in the persisted JSON shape (UTF-8, no BOM).</summary>
    [Cmdlet(VerbsData.Export, "CtAuditLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportCtAuditLogCommand : AuditFilterCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        [Parameter]
        public AuditExportFormat Format { get; set; } = AuditExportFormat.Json;

        /// <summary>Overwrites an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        internal override void Process(CtSession session)
        {
            var fullPath = GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(fullPath, $"Export the audit log as {Format}"))
            {
                return;
            }
            var count = AuditExporter.Export(new AuditReader(session.Database).Read(BuildQuery()), fullPath, Format, Force);
            WriteVerbose($"Exported {count} audit records to '{fullPath}'.");
            WriteObject(new FileInfo(fullPath));
        }
    }
}
