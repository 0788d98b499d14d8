using System;
using System.Linq;
using System.Management.Automation;
using CryptoTrader.Core.Audit;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>The filters shared by Get-CtAuditLog and Export-CtAuditLog.</summary>
    public abstract class AuditFilterCmdlet : CtCmdlet
    {
        /// <summary>The parameter set of the filters: the records are read from the audit log.</summary>
        protected const string QuerySet = "Query";

        [Parameter(ParameterSetName = QuerySet, ValueFromPipelineByPropertyName = true)]
        [ValidateSet(AuditEventType.ApiKeyChanged, AuditEventType.PermissionChanged, AuditEventType.TradeRequested,
            AuditEventType.TradeExecuted, AuditEventType.TradeRejected, AuditEventType.TradeFailed, AuditEventType.ConfigChanged,
            AuditEventType.EncryptionKeyCreated, AuditEventType.EncryptionKeyRotated, AuditEventType.Error)]
        public string[]? EventType { get; set; }

        [Parameter(ParameterSetName = QuerySet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? Exchange { get; set; }

        [Parameter(ParameterSetName = QuerySet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? UserId { get; set; }

        /// <summary>Records after this time (local time unless the value says otherwise).</summary>
        [Parameter(ParameterSetName = QuerySet)]
        public DateTime? After { get; set; }

        [Parameter(ParameterSetName = QuerySet)]
        public DateTime? Before { get; set; }

        [Parameter(ParameterSetName = QuerySet)]
        [ValidateRange(1, int.MaxValue)]
        public int? Last { get; set; }

        [Parameter(ParameterSetName = QuerySet)]
        [ValidateRange(1, int.MaxValue)]
        public int? First { get; set; }

        internal AuditQuery BuildQuery() => new AuditQuery
        {
            EventTypes = EventType?.Select(t => t.ToUpperInvariant()).ToArray(),
            Exchange = Exchange?.Trim().ToLowerInvariant(),
            UserId = UserId,
            After = After.HasValue ? ToInstant(After.Value) : null,
            Before = Before.HasValue ? ToInstant(Before.Value) : null,
            First = First,
            Last = Last,
        };

        // PowerShell dates without a zone are local times, as Get-Date returns them.
        private static DateTimeOffset ToInstant(DateTime value) =>
            value.Kind == DateTimeKind.Utc ? new DateTimeOffset(value) : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Local));
    }
}
