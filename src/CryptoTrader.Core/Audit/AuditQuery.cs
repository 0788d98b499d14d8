using System;
using System.Collections.Generic;

namespace CryptoTrader.Core.Audit
{
    /// <summary>The filters of Get-CtAuditLog and Export-CtAuditLog. Unset filters match everything.</summary>
    public sealed class AuditQuery
    {
        public IReadOnlyList<string>? EventTypes { get; set; }

        public string? Exchange { get; set; }

        public string? UserId { get; set; }

        /// <summary>Records strictly after this instant.</summary>
        public DateTimeOffset? After { get; set; }

        /// <summary>Records strictly before this instant.</summary>
        public DateTimeOffset? Before { get; set; }

        /// <summary>Only the first N matching records.</summary>
        public int? First { get; set; }

        /// <summary>Only the last N matching records (still returned oldest first).</summary>
        public int? Last { get; set; }
    }
}
