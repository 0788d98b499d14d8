namespace CryptoTrader
{
    /// <summary>One result of Test-CtSecurity: what a check found, about what, and what to do. Never holds a secret.</summary>
    public sealed class SecurityFinding
    {
        public SecurityFinding(SecuritySeverity severity, string check, string target, string message, string remedy)
        {
            Severity = severity;
            Check = check;
            Target = target;
            Message = message;
            Remedy = remedy;
        }

        public SecuritySeverity Severity { get; }

        /// <summary>The name of the check (what -Check selects).</summary>
        public string Check { get; }

        /// <summary>What the finding is about: a path, a credential (exchange/name), a vault, a variable name.</summary>
        public string Target { get; }

        public string Message { get; }

        /// <summary>What to do about it; empty when there is nothing to do.</summary>
        public string Remedy { get; }

        public override string ToString() => $"{Severity} {Check} {Target}: {Message}";
    }
}
