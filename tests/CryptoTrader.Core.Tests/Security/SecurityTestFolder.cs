using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Security;
using CryptoTrader.Core.Tests.Trading;

namespace CryptoTrader.Core.Tests.Security
{
    /// <summary>A trading folder (paper credential 'default') and a security context over it, with a replaceable key ring source.</summary>
    internal sealed class SecurityTestFolder : IDisposable
    {
        public SecurityTestFolder()
        {
            Trading = new TradingTestFolder();
            LoadKeyRing = () => Trading.Ring;
        }

        public TradingTestFolder Trading { get; }

        public Func<KeyRing?> LoadKeyRing { get; set; }

        public KeyStoreChoice Choice { get; set; } = new KeyStoreChoice(KeyStoreKind.File, "automatic: test");

        public SecurityContext Context(Action<SecurityContext>? configure = null)
        {
            var context = new SecurityContext(Trading.Folder.Home, Trading.Database, CtSettings.Read(new SettingsStore(Trading.Database)),
                Choice, "test location", () => LoadKeyRing());
            configure?.Invoke(context);
            return context;
        }

        public List<SecurityFinding> Run(ISecurityCheck check, Action<SecurityContext>? configure = null) => check.Run(Context(configure)).ToList();

        /// <summary>Stores a paper credential with what an exchange would have said about it.</summary>
        public void StoreWithCapabilities(string name, KeyCapabilities capabilities)
        {
            Trading.StoreKey(name);
            Trading.Folder.Tamper("UPDATE credentials SET can_view = $v, can_trade = $t, can_transfer = $x WHERE name = $n;",
                ("$v", capabilities.CanView ? 1 : 0), ("$t", capabilities.CanTrade ? 1 : 0), ("$x", capabilities.CanTransfer ? 1 : 0), ("$n", name));
        }

        public static Func<KeyRing?> Failing(string errorId, string message) =>
            () => throw new CtException(errorId, CtErrorKind.ResourceUnavailable, message);

        public void Dispose() => Trading.Dispose();
    }
}
