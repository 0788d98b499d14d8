using System.Collections.Generic;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Permissions;

namespace CryptoTrader.Core.Security
{
    /// <summary>
    /// Credentials that may trade: each is a finding (Low with an expiry, High without one), and a stored grant
    /// that fails its integrity check (High: the grants table was changed outside CryptoTrader).
    /// </summary>
    public sealed class TradingGrantsCheck : ISecurityCheck
    {
        public const string CheckName = "TradingGrants";

        public string Name => CheckName;

        public IEnumerable<SecurityFinding> Run(SecurityContext context)
        {
            var grants = new GrantLookup(context);
            var found = 0;
            foreach (var key in new ApiKeyService(context.Database).List(context.Settings.MaxApiKeyAgeDays))
            {
                var target = key.Exchange + "/" + key.Name;
                var status = grants.Find(key.Exchange, key.Name);
                var unverified = status.Verified ? string.Empty : $" (not verified: {context.KeyRingProblem})";
                if (status.State == GrantState.IntegrityFailed)
                {
                    found++;
                    yield return new SecurityFinding(SecuritySeverity.High, Name, target,
                        "The stored trading grant fails its integrity check: the grants table was changed outside CryptoTrader. The grant is not honoured.",
                        $"Remove it with Revoke-CtTrading -Exchange {key.Exchange} -Name {key.Name}, check the audit log (Test-CtAuditLog) and find out who changed the database.");
                }
                else if (status.TradingEnabled && status.Grant!.ExpiresAt is null)
                {
                    found++;
                    yield return new SecurityFinding(SecuritySeverity.High, Name, target,
                        $"Trading is enabled with no expiry{unverified}: the credential can trade until someone revokes it.",
                        $"Grant trading for a limited time instead: Grant-CtTrading -Exchange {key.Exchange} -Name {key.Name} -Duration (New-TimeSpan -Hours 8), or Revoke-CtTrading.");
                }
                else if (status.TradingEnabled)
                {
                    found++;
                    yield return new SecurityFinding(SecuritySeverity.Low, Name, target,
                        $"Trading is enabled until {status.Grant!.ExpiresAt}{unverified}.",
                        $"Revoke it when it is no longer needed: Revoke-CtTrading -Exchange {key.Exchange} -Name {key.Name}.");
                }
            }
            if (found == 0)
            {
                yield return new SecurityFinding(SecuritySeverity.Info, Name, context.Home.Path,
                    "No credential may trade: every stored credential is read-only." + (context.KeyRing is null ? $" (Grants not verified: {context.KeyRingProblem})" : string.Empty),
                    string.Empty);
            }
        }
    }
}
