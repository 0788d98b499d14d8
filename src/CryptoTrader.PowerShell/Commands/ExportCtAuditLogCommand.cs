using System;
using System.IO;
using System.Management.Automation;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Errors;
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
            var fullPath = ResolveFilePath();
            if (!ShouldProcess(fullPath, $"Export the audit log as {Format}"))
            {
                return;
            }
            var count = AuditExporter.Export(new AuditReader(session.Database).Read(BuildQuery()), fullPath, Format, Force, session.Home.Path);
            WriteVerbose($"Exported {count} audit records to '{fullPath}'.");
            WriteObject(new FileInfo(fullPath));
        }

        /// <summary>The file system path -Path names; anything else (no such drive, another provider, NUL) is an ExportFailed error.</summary>
        private string ResolveFilePath()
        {
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = System.IO.Path.GetFullPath(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out provider, out _));
            }
            catch (Exception e) when (e is SessionStateException || e is ProviderInvocationException || e is ArgumentException || e is NotSupportedException || e is IOException)
            {
                throw Unusable(e.Message, e);
            }
            if (provider.Name != "FileSystem")
            {
                throw Unusable($"it is a {provider.Name} path, not a file system path", null);
            }
            return resolved;
        }

        private CtException Unusable(string why, Exception? inner) =>
            new CtException(ErrorIds.ExportFailed, CtErrorKind.InvalidArgument, $"The audit log cannot be exported to '{Path}': {why}.", Path, inner);
    }
}
