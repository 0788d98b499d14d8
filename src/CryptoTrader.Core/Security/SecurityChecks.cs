using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Security
{
    /// <summary>Every check of the security report, in report order, and how to run a selection of them.</summary>
    public static class SecurityChecks
    {
        public static IReadOnlyList<ISecurityCheck> All { get; } = new ISecurityCheck[]
        {
            new KeyStoreCheck(),
            new FilePermissionsCheck(),
            new AuditIntegrityCheck(),
            new ApiKeyAgeCheck(),
            new TradingGrantsCheck(),
            new ExchangeKeyScopeCheck(),
            new VaultTimeoutCheck(),
            new MasterKeyVariableCheck(),
        };

        public static IReadOnlyList<string> Names { get; } = All.Select(c => c.Name).ToArray();

        /// <summary>The checks with these names (case-insensitive), in report order; all of them for null or empty.</summary>
        public static IReadOnlyList<ISecurityCheck> Select(IEnumerable<string>? names)
        {
            var wanted = names?.ToList() ?? new List<string>();
            if (wanted.Count == 0)
            {
                return All;
            }
            var unknown = wanted.Where(n => !Names.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
            {
                throw new CtException(ErrorIds.UnknownSecurityCheck, CtErrorKind.InvalidArgument,
                    $"Unknown security check '{string.Join("', '", unknown)}'. The checks are: {string.Join(", ", Names)}.", unknown[0]);
            }
            return All.Where(c => wanted.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
        }

        /// <summary>
        /// Runs the checks one after another. A check that fails with a CtException (a store that cannot be read, say)
        /// becomes a Medium finding and the others still run.
        /// </summary>
        public static IEnumerable<SecurityFinding> Run(SecurityContext context, IEnumerable<ISecurityCheck> checks)
        {
            foreach (var check in checks)
            {
                List<SecurityFinding> findings;
                CtException? failure = null;
                try
                {
                    findings = check.Run(context).ToList();
                }
                catch (CtException e)
                {
                    findings = new List<SecurityFinding>();
                    failure = e;
                }
                foreach (var finding in findings)
                {
                    yield return finding;
                }
                if (failure != null)
                {
                    yield return new SecurityFinding(SecuritySeverity.Medium, check.Name, failure.Target?.ToString() ?? context.Home.Path,
                        $"The check could not be completed: {failure.ErrorId}: {failure.Message}",
                        "Fix the cause above and run Test-CtSecurity again.");
                }
            }
        }

        /// <summary>
        /// The terminating failure for -FailOn: null when no finding is at or above <paramref name="threshold"/>, else a
        /// SecurityCheckFailed error that counts them by severity and names them.
        /// </summary>
        public static CtException? FailureFor(IReadOnlyList<SecurityFinding> findings, SecuritySeverity threshold)
        {
            var failing = findings.Where(f => f.Severity >= threshold).OrderByDescending(f => f.Severity).ToArray();
            if (failing.Length == 0)
            {
                return null;
            }
            var counts = string.Join(", ", failing.GroupBy(f => f.Severity).Select(g => $"{g.Count()} {g.Key}"));
            var named = string.Join("; ", failing.Select(f => $"{f.Severity} {f.Check} {f.Target}"));
            var noun = failing.Length == 1 ? "finding" : "findings";
            return new CtException(ErrorIds.SecurityCheckFailed, CtErrorKind.SecurityError,
                $"Test-CtSecurity found {failing.Length} security {noun} at or above {threshold} ({counts}): {named}. " +
                $"Fix each as its Remedy says (Test-CtSecurity | Where-Object Severity -ge '{threshold}' | Format-List), then run Test-CtSecurity -FailOn {threshold} again.",
                failing);
        }
    }
}
