using System.Collections.Generic;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Exchanges;

namespace CryptoTrader.Core.Security
{
    /// <summary>
    /// What the exchange said a key may do (Coinbase key_permissions, stored with the key): a key that can transfer
    /// funds is Critical; a key that can trade while CryptoTrader grants it only read access has more scope than it needs.
    /// </summary>
    public sealed class ExchangeKeyScopeCheck : ISecurityCheck
    {
        public const string CheckName = "ExchangeKeyScope";

        public string Name => CheckName;

        public IEnumerable<SecurityFinding> Run(SecurityContext context)
        {
            var grants = new GrantLookup(context);
            var found = 0;
            foreach (var key in new ApiKeyService(context.Database).List(context.Settings.MaxApiKeyAgeDays))
            {
                var target = key.Exchange + "/" + key.Name;
                if (key.CanTransfer == true)
                {
                    found++;
                    yield return new SecurityFinding(SecuritySeverity.Critical, Name, target,
                        "The exchange reported that this key CAN TRANSFER FUNDS out of the account (can_transfer = true). Trading never needs that.",
                        $"Create a key with only the view and trade scopes at the exchange, store it with Set-CtApiKey -Exchange {key.Exchange} -Name {key.Name}, and delete this key at the exchange.");
                }
                if (key.CanTrade == true && !grants.Find(key.Exchange, key.Name).TradingEnabled)
                {
                    found++;
                    yield return new SecurityFinding(SecuritySeverity.Medium, Name, target,
                        "The key can trade at the exchange (can_trade = true), but CryptoTrader grants it read access only: a leaked copy could place orders that CryptoTrader would never allow.",
                        "If it only needs to read, replace it with a view-only key at the exchange and store that with Set-CtApiKey; if it is meant to trade, ignore this until you grant trading.");
                }
                if (key.CanView is null && key.Exchange == ExchangeCatalog.Coinbase)
                {
                    found++;
                    yield return new SecurityFinding(SecuritySeverity.Low, Name, target,
                        "What this key may do at the exchange is not known: it was stored before CryptoTrader asked the exchange (key_permissions).",
                        $"Store it again with Set-CtApiKey -Exchange {key.Exchange} -Name {key.Name}; CryptoTrader then asks the exchange and records the answer.");
                }
            }
            if (found == 0)
            {
                yield return new SecurityFinding(SecuritySeverity.Info, Name, context.Home.Path,
                    "No stored key has more scope at its exchange than CryptoTrader grants it.", string.Empty);
            }
        }
    }
}
