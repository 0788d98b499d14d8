namespace CryptoTrader
{
    /// <summary>
    /// How serious a <see cref="SecurityFinding"/> is, in ascending order, so Test-CtSecurity -FailOn can compare.
    /// Info: checked, nothing to fix (or nothing could be decided). Low: worth a look. Medium: weakens a protection.
    /// High: a protection is missing. Critical: secrets or funds are exposed now.
    /// </summary>
    public enum SecuritySeverity
    {
        Info = 0,
        Low = 1,
        Medium = 2,
        High = 3,
        Critical = 4,
    }
}
