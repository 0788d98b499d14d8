namespace CryptoTrader.Core.Audit
{
    /// <summary>Json: one JSON array. JsonLines: one record a line.</summary>
    public enum AuditExportFormat
    {
        Json,
        JsonLines,
    }
}
