using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Exchanges.Paper;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Audit;
using CryptoTrader.Core.Trading;

namespace CryptoTrader.Core.Tests.Trading
{
    /// <summary>
    /// A data folder with a stored paper credential ('default'), a funded paper account and a BTC-USD price,
    /// plus the services the cmdlets use, built on <see cref="AuditTestFolder"/>.
    /// </summary>
    internal sealed class TradingTestFolder : IDisposable
    {
        public const string Paper = "paper";
        public const string Name = "default";

        public TradingTestFolder(decimal usd = 10000m, decimal btcPrice = 65000m, KeyRing? ring = null)
        {
            Folder = new AuditTestFolder(ring);
            StoreKey(Name);
            Market.ResetAccount(Folder.Log, Name, new Dictionary<string, decimal> { ["USD"] = usd });
            SetPrice("BTC-USD", btcPrice);
        }

        public AuditTestFolder Folder { get; }

        public CtDatabase Database => Folder.Database;

        public KeyRing Ring => Folder.Ring;

        public AuditLog Log => Folder.Log;

        public PaperMarket Market => new PaperMarket(Database);

        /// <summary>Sets a paper price; returns the TRADE_EXECUTED records of the limit orders it filled.</summary>
        public IReadOnlyList<AuditRecord> SetPrice(string symbol, decimal price) => Market.SetPrice(Log, symbol, price);

        public PermissionService Permissions => new PermissionService(Database);

        public TradingService Trading(KeyRing? ring = null) =>
            ring is null ? new TradingService(Database, Log, Ring) : new TradingService(Database, new AuditLog(Database, Folder.Home, ring, "system"), ring);

        public void StoreKey(string name, KeyRing? ring = null) =>
            new ApiKeyService(Database).Set(ring is null ? Log : new AuditLog(Database, Folder.Home, ring, "system"), ring ?? Ring, Paper, name, "api-key-" + name, ("secret-of-" + name).ToCharArray());

        public AuditRecord Grant(GrantLimits? limits = null, string name = Name) => Permissions.Grant(Log, Ring, Paper, name, limits ?? new GrantLimits());

        public IReadOnlyList<AuditRecord> Buy(decimal quantity, decimal? limit = null, string? clientOrderId = null, string symbol = "BTC-USD") =>
            Trading().PlaceOrder(Paper, Name, OrderValidation.Create(symbol, OrderSide.Buy, quantity, limit, clientOrderId));

        public IReadOnlyList<AuditRecord> Sell(decimal quantity, decimal? limit = null, string symbol = "BTC-USD") =>
            Trading().PlaceOrder(Paper, Name, OrderValidation.Create(symbol, OrderSide.Sell, quantity, limit, null));

        /// <summary>Available and hold of a currency of the default account, read straight from the ledger.</summary>
        public (decimal Available, decimal Hold) Balance(string currency, string account = Name) =>
            new PaperLedger(Database.Connection, null).Balance(account, currency);

        public List<Order> Orders(string account = Name) =>
            new PaperLedger(Database.Connection, null).Orders("account = $account", ("$account", account)).Select(o => o.Order).ToList();

        public List<AuditRecord> Records(string eventType) => Folder.ReadAll().Where(r => r.EventType == eventType).ToList();

        public ApiCredential Credential(string name = Name) => new ApiKeyService(Database).Reveal(Log, Ring, Paper, name);

        public void Dispose() => Folder.Dispose();
    }
}
