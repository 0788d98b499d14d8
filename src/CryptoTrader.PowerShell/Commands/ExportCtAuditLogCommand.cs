using System;
using System.IO;
using System.Management.Automation;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>
    /// Writes audit records to one file in the persisted JSON shape (UTF-8, no BOM): the records piped in, in their
    /// order, or else those the filters select. The file appears only when the last record is written.
    /// </summary>
    [Cmdlet(VerbsData.Export, "CtAuditLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = QuerySet)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportCtAuditLogCommand : AuditFilterCmdlet, IDisposable
    {
        private const string RecordSet = "InputObject";
        private AuditExporter? exporter;
        private bool declined;

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Records to export (Get-CtAuditLog output, or what a state-changing cmdlet wrote).</summary>
        [Parameter(Mandatory = true, ParameterSetName = RecordSet, ValueFromPipeline = true)]
        public AuditRecord? InputObject { get; set; }

        [Parameter]
        public AuditExportFormat Format { get; set; } = AuditExportFormat.Json;

        /// <summary>Overwrites an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        internal override void ProcessInput()
        {
            if (InputObject is null)
            {
                base.ProcessInput();
            }
            else
            {
                Open()?.Write(InputObject);
            }
        }

        internal override void Process(CtSession session)
        {
            var target = Open();
            if (target is null)
            {
                return;
            }
            foreach (var record in new AuditReader(session.Database).Read(BuildQuery()))
            {
                target.Write(record);
            }
        }

        // A pipeline that brought no input at all still exports: an empty file.
        protected override void EndProcessing() => Guarded(() =>
        {
            var target = exporter ?? (MyInvocation.ExpectingInput ? Open() : null);
            if (target is null)
            {
                return;
            }
            target.Complete();
            WriteVerbose($"Exported {target.Count} audit records to '{target.Path}'.");
            WriteObject(new FileInfo(target.Path));
        });

        public void Dispose() => exporter?.Dispose();

        // One file for every input: when it cannot be written, no later input can be.
        protected override bool EndsCommand(CtException e) =>
            e.ErrorId == ErrorIds.ExportFileExists || e.ErrorId == ErrorIds.ExportFailed || base.EndsCommand(e);

        /// <summary>The export in progress, started (after ShouldProcess) by the first input; null when declined.</summary>
        private AuditExporter? Open()
        {
            if (exporter != null || declined)
            {
                return exporter;
            }
            var fullPath = ResolveFilePath();
            if (!ShouldProcess(fullPath, $"Export audit records as {Format}"))
            {
                declined = true;
                return null;
            }
            return exporter = AuditExporter.Start(fullPath, Format, Force, DataHome.Resolve().Path);
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
