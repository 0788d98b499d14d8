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
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet(AuditEventType.ApiKeyChanged, AuditEventType.PermissionChanged, AuditEventType.TradeRequested,
            AuditEventType.TradeExecuted, AuditEventType.TradeRejected, AuditEventType.TradeFailed, AuditEventType.ConfigChanged,
            AuditEventType.EncryptionKeyCreated, AuditEventType.EncryptionKeyRotated, AuditEventType.Error)]
        public string[]? EventType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? Exchange { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? UserId { get; set; }

        /// <summary>Records after this time (local time unless the value says otherwise).</summary>
        [Parameter]
        public DateTime? After { get; set; }

        [Parameter]
        public DateTime? Before { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Last { get; set; }

        [Parameter]
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
