using System;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Tests.KeyStores;
using System.Linq;
using System.Threading;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Trading;
using Xunit;

namespace CryptoTrader.Core.Tests.Trading
{
    /// <summary>
    /// Invariant 3 at the core: a trade runs only under a valid, unexpired TradingEnabled grant whose integrity
    /// holds and whose limits it respects; every other outcome, internal errors included, is an audited rejection.
    /// </summary>
    public class PermissionGateTests
    {
        [Fact]
        public void NoGrant_RejectsWithTradingNotEnabled_AuditedAndNothingSent()
        {
            using var t = new TradingTestFolder();

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));

            AssertRejected(t, e, ErrorIds.TradingNotEnabled);
        }

        [Fact]
        public void ValidGrant_PlacesTheOrder_RequestedThenExecuted()
        {
            using var t = new TradingTestFolder();
            t.Grant();

            var records = t.Buy(0.01m);

            Assert.Equal(new[] { AuditEventType.TradeRequested, AuditEventType.TradeExecuted }, records.Select(r => r.EventType));
            Assert.Equal("Filled", records[1].Details["status"]);
            Assert.Equal(records[1].Details["order_id"], Assert.Single(t.Orders()).OrderId);
            Assert.Equal(9350m, t.Balance("USD").Available);
            Assert.Equal(0.01m, t.Balance("BTC").Available);
        }

        [Fact]
        public void ExpiredGrant_RejectsWithTradingPermissionExpired_AndRecordsTheExpiryOnce()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { Duration = TimeSpan.FromMilliseconds(1) });
            WaitUntilExpired(t);

            var first = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));
            var second = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));

            AssertRejected(t, first, ErrorIds.TradingPermissionExpired, rejections: 2);
            Assert.Equal(ErrorIds.TradingPermissionExpired, second.ErrorId);
            var expired = t.Records(AuditEventType.PermissionChanged).Where(r => Equals(r.Details["action"], "expired")).ToList();
            var record = Assert.Single(expired);
            Assert.Equal("ReadOnly", record.Details["level_after"]);
            var info = t.Permissions.Describe(t.Ring, TradingTestFolder.Paper, TradingTestFolder.Name);
            Assert.Equal("ReadOnly", info.Level);
            Assert.True(info.IntegrityValid);
        }

        [Fact]
        public void TamperedGrant_RejectsWithGrantIntegrityFailed_AndAnErrorRecord()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrderValue = 100m });
            t.Folder.Tamper("UPDATE grants SET max_order_value = '100000';");

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));

            AssertRejected(t, e, ErrorIds.GrantIntegrityFailed);
            var error = Assert.Single(t.Records(AuditEventType.Error));
            Assert.Equal(ErrorIds.GrantIntegrityFailed, error.Details["error_id"]);
        }

        [Fact]
        public void MarketOrderOverMaxOrderValue_AtTheTickerPrice_Rejected()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrderValue = 1000m });

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.02m));

            AssertRejected(t, e, ErrorIds.OrderValueOverLimit);
            Assert.Contains("1300", e.Message);
            t.Buy(0.015m);
            Assert.Single(t.Orders());
        }

        [Fact]
        public void LimitOrder_IsValuedAtTheHigherOfItsLimitAndTheMarketPrice()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrderValue = 1000m });

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m, limit: 100001m));
            AssertRejected(t, e, ErrorIds.OrderValueOverLimit);
            // A buy limit under the market is still worth the market price at worst (0.02 x 65000 = 1300).
            Assert.Equal(ErrorIds.OrderValueOverLimit, Assert.Throws<TradeRejectedException>(() => t.Buy(0.02m, limit: 50000m)).ErrorId);

            var records = t.Buy(0.015m, limit: 50000m);
            Assert.Equal("Open", records[1].Details["status"]);
        }

        [Fact]
        public void SellLimitFarBelowTheMarket_IsValuedAtTheMarketPrice()
        {
            // 5 BTC at a limit of 0.01 would fill at 65000: 325,000 USD leave the account under a 1,000 limit.
            using var t = new TradingTestFolder();
            t.Market.ResetAccount(t.Log, TradingTestFolder.Name, new System.Collections.Generic.Dictionary<string, decimal> { ["BTC"] = 5m });
            t.Grant(new GrantLimits { MaxOrderValue = 1000m });

            var e = Assert.Throws<TradeRejectedException>(() => t.Sell(5m, limit: 0.01m));

            Assert.Equal(ErrorIds.OrderValueOverLimit, e.ErrorId);
            Assert.Contains("325000", e.Message);
            Assert.Empty(t.Orders());
            Assert.Equal(5m, t.Balance("BTC").Available);
        }

        [Fact]
        public void OrderQuotedInAnotherCurrency_IsConvertedIntoTheGrantsCurrency()
        {
            // ETH-BTC at 0.05, BTC-USD at 65000: 10,000 ETH cost 500 BTC, "500" under a "1000" meant as USD.
            using var t = new TradingTestFolder();
            t.SetPrice("ETH-BTC", 0.05m);
            t.Market.ResetAccount(t.Log, TradingTestFolder.Name, new System.Collections.Generic.Dictionary<string, decimal> { ["BTC"] = 1000m });
            t.Grant(new GrantLimits { MaxOrderValue = 1000m });

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(10000m, symbol: "ETH-BTC"));
            Assert.Equal(ErrorIds.OrderValueOverLimit, e.ErrorId);
            Assert.Contains("USD", e.Message);

            // 0.3 ETH = 0.015 BTC = 975 USD.
            t.Buy(0.3m, symbol: "ETH-BTC");
            Assert.Equal(0.3m, t.Balance("ETH").Available);
        }

        [Fact]
        public void OrderThatCannotBeConverted_IsOrderValueUnknown()
        {
            using var t = new TradingTestFolder();
            t.SetPrice("ETH-EUR", 3000m);
            t.Grant(new GrantLimits { MaxOrderValue = 1000m });

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.1m, symbol: "ETH-EUR"));

            AssertRejected(t, e, ErrorIds.OrderValueUnknown);
            Assert.Contains("EUR-USD", e.Message);
        }

        [Fact]
        public void GrantInAnotherCurrency_ValuesOrdersInIt()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrderValue = 0.5m, ValueCurrency = "BTC" });
            t.SetPrice("USD-BTC", 0.0000153846m);

            // 0.01 BTC at 65000 = 650 USD = 0.0099999 BTC: allowed; 1 BTC (0.99999 BTC) is not.
            t.Buy(0.01m);
            Assert.Equal(ErrorIds.OrderValueOverLimit, Assert.Throws<TradeRejectedException>(() => t.Buy(1m)).ErrorId);
            Assert.Equal("BTC", t.Permissions.Describe(t.Ring, TradingTestFolder.Paper, TradingTestFolder.Name).ValueCurrency);
        }

        [Fact]
        public void OrderValueExactlyAtTheLimit_IsAllowed()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrderValue = 650m });

            t.Buy(0.01m);

            Assert.Single(t.Orders());
        }

        [Fact]
        public void SymbolOutsideAllowedSymbols_RejectedWithSymbolNotAllowed()
        {
            using var t = new TradingTestFolder();
            t.SetPrice("ETH-USD", 3000m);
            t.Grant(new GrantLimits { AllowedSymbols = new[] { "ETH-USD" } });

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));

            AssertRejected(t, e, ErrorIds.SymbolNotAllowed);
            t.Buy(1m, symbol: "ETH-USD");
            Assert.Equal(1m, t.Balance("ETH").Available);
        }

        [Fact]
        public void ThirdOrderOfTheDay_RejectedWithDailyOrderLimitReached()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrdersPerDay = 2 });
            t.Buy(0.01m);
            t.Buy(0.01m);

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));

            AssertRejected(t, e, ErrorIds.DailyOrderLimitReached, ordersBefore: 2, usdBefore: 8700m);
        }

        [Fact]
        public void DailyOrderLimit_CountsOnlyThisCredential()
        {
            using var t = new TradingTestFolder();
            t.StoreKey("other");
            t.Market.ResetAccount(t.Log, "other", new System.Collections.Generic.Dictionary<string, decimal> { ["USD"] = 1000m });
            t.Grant(new GrantLimits { MaxOrdersPerDay = 1 });
            t.Grant(new GrantLimits { MaxOrdersPerDay = 1 }, "other");
            t.Trading().PlaceOrder(TradingTestFolder.Paper, "other", OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.01m, null, null));

            t.Buy(0.01m);

            Assert.Single(t.Orders());
        }

        [Fact]
        public void DailyOrderLimit_CountsPlacedOrdersNotCancels()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrdersPerDay = 2 });
            var id = (string)t.Buy(0.01m, limit: 50000m)[1].Details["order_id"]!;
            t.Trading().CancelOrder(TradingTestFolder.Paper, TradingTestFolder.Name, id);

            t.Buy(0.01m);

            Assert.Equal(2, t.Orders().Count);
            Assert.Equal(ErrorIds.DailyOrderLimitReached, Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m)).ErrorId);
        }

        [Fact]
        public void CancelWithoutGrant_IsAllowed_AndAudited()
        {
            // Cancelling only lowers risk: a read-only credential may cancel what it placed while it could trade.
            using var t = new TradingTestFolder();
            t.Grant();
            var id = (string)t.Buy(0.01m, limit: 50000m)[1].Details["order_id"]!;
            t.Permissions.Revoke(t.Log, t.Ring, TradingTestFolder.Paper, TradingTestFolder.Name);

            var records = t.Trading().CancelOrder(TradingTestFolder.Paper, TradingTestFolder.Name, id);

            Assert.Equal(new[] { AuditEventType.TradeRequested, AuditEventType.TradeExecuted }, records.Select(r => r.EventType));
            Assert.Equal("cancel", records[0].Details["action"]);
            Assert.Equal("Cancelled", Assert.Single(t.Orders()).Status);
            Assert.Equal((10000m, 0m), t.Balance("USD"));
        }

        [Fact]
        public void CredentialKeyMissingFromTheKeyRing_IsARejectionNotACrash()
        {
            // The credential is encrypted under key A; the grant is made (and MAC'd) under key B; the ring then loses A.
            using var t = new TradingTestFolder();
            var withB = t.Ring.WithNewPrimary(out _);
            new PermissionService(t.Database).Grant(new AuditLog(t.Database, t.Folder.Home, withB, "system"), withB, TradingTestFolder.Paper, TradingTestFolder.Name, new GrantLimits());
            var withoutA = withB.Remove(t.Ring.Primary.Id);

            var e = Assert.Throws<TradeRejectedException>(() =>
                t.Trading(withoutA).PlaceOrder(TradingTestFolder.Paper, TradingTestFolder.Name, OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.01m, null, null)));

            Assert.Contains(e.ErrorId, new[] { ErrorIds.PermissionCheckFailed, ErrorIds.CredentialIntegrityFailed });
            Assert.Equal(CtErrorKind.PermissionDenied, e.Kind);
            Assert.Equal(AuditEventType.TradeRejected, Assert.Single(e.Records).EventType);
            Assert.Empty(t.Orders());
            Assert.Empty(t.Records(AuditEventType.TradeRequested));
            Assert.Equal(10000m, t.Balance("USD").Available);
        }

        [Fact]
        public void ATokenAndAGrantMadeUnderAKeyThisRingLacks_AreCheckedWithTheStoresRing_NotReportedAsTampering()
        {
            using var t = new TradingTestFolder();
            var slot = new SharedSlot { Ring = t.Ring };
            var provider = new KeyRingProvider(t.Folder.Home, new SettingsStore(t.Database), new MemoryKeyStore(slot));
            try
            {
                provider.GetOrCreate();
                // Another session rotated after this one read its ring: the store, the token and the grant are under the new key.
                var rotated = t.Ring.WithNewPrimary(out _);
                slot.Ring = rotated;
                t.StoreKey(TradingTestFolder.Name, rotated);
                new PermissionService(t.Database).Grant(new AuditLog(t.Database, t.Folder.Home, rotated, "system"), rotated, TradingTestFolder.Paper, TradingTestFolder.Name, new GrantLimits());
                var asked = 0;
                var service = new TradingService(t.Database, new AuditLog(t.Database, t.Folder.Home, t.Ring, "system", provider), t.Ring, stale =>
                {
                    asked++;
                    return provider.Refresh(stale);
                });

                var records = service.PlaceOrder(TradingTestFolder.Paper, TradingTestFolder.Name, OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.01m, null, null));

                Assert.Equal(new[] { AuditEventType.TradeRequested, AuditEventType.TradeExecuted }, records.Select(r => r.EventType));
                Assert.Equal(1, asked);
                Assert.Empty(t.Records(AuditEventType.Error));
                Assert.Empty(t.Records(AuditEventType.TradeRejected));
                Assert.True(t.Folder.Verify(rotated).IsValid);
            }
            finally
            {
                KeyRingCache.Forget(t.Folder.Home.Path);
            }
        }

        [Fact]
        public void ATokenUnderAKeyNeitherRingHas_IsStillAnIntegrityFailure_WithItsErrorRecord()
        {
            using var t = new TradingTestFolder();
            t.Folder.Tamper("UPDATE credentials SET key_id = 'k0123456789abcdef';");
            var service = new TradingService(t.Database, t.Log, t.Ring, _ => null);

            var e = Assert.Throws<CtException>(() => service.GetBalances(TradingTestFolder.Paper, TradingTestFolder.Name));

            Assert.Equal(ErrorIds.CredentialIntegrityFailed, e.ErrorId);
            Assert.Single(t.Records(AuditEventType.Error));
        }

        [Fact]
        public void UnrelatedKeyRing_GrantIsNotHonoured()
        {
            using var t = new TradingTestFolder();
            t.Grant();
            var other = CryptoTrader.Core.Crypto.KeyRing.CreateNew();

            // Another ring cannot even check the log's facts: nothing is honoured.
            var e = Assert.ThrowsAny<CtException>(() => t.Permissions.Evaluate(other, TradingTestFolder.Paper, TradingTestFolder.Name));

            Assert.Equal(ErrorIds.AuditLogTampered, e.ErrorId);
        }

        [Fact]
        public void DatabaseErrorInsideTheGate_IsARejection()
        {
            using var t = new TradingTestFolder();
            t.Grant();
            t.Folder.Tamper("DROP TABLE grants;");

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));

            AssertRejected(t, e, ErrorIds.PermissionCheckFailed);
        }

        [Fact]
        public void UnreadableGrantRow_IsARejection()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrderValue = 1000m });
            t.Folder.Tamper("UPDATE grants SET max_order_value = 'lots';");

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));

            AssertRejected(t, e, ErrorIds.GrantIntegrityFailed);
            Assert.Equal(ErrorIds.GrantIntegrityFailed, Assert.Single(t.Records(AuditEventType.Error)).Details["error_id"]);
        }

        [Fact]
        public void UnreadableExpiry_IsARejection()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { Duration = TimeSpan.FromHours(1) });
            t.Folder.Tamper("UPDATE grants SET expires_at = 'never';");

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));

            AssertRejected(t, e, ErrorIds.GrantIntegrityFailed);
        }

        [Fact]
        public void ValueLimitThatCannotBePriced_IsARejection_NothingSent()
        {
            // A market order needs the ticker to be valued against -MaxOrderValue; without a price the gate cannot decide: fail closed.
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrderValue = 1000m });

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(1m, symbol: "DOGE-USD"));

            AssertRejected(t, e, ErrorIds.OrderValueUnknown);
            Assert.Empty(t.Records(AuditEventType.TradeRequested));
        }

        [Fact]
        public void MissingCredential_TradeIsRejected()
        {
            using var t = new TradingTestFolder();

            var e = Assert.Throws<TradeRejectedException>(() =>
                t.Trading().PlaceOrder(TradingTestFolder.Paper, "nobody", OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.01m, null, null)));

            Assert.Equal(CtErrorKind.PermissionDenied, e.Kind);
            Assert.Empty(t.Records(AuditEventType.TradeRequested));
        }

        [Fact]
        public void Reads_NeedAStoredCredentialButNoGrant()
        {
            using var t = new TradingTestFolder();
            var trading = t.Trading();

            Assert.Equal("USD", Assert.Single(trading.GetBalances(TradingTestFolder.Paper, TradingTestFolder.Name)).Currency);
            Assert.Equal(65000m, trading.GetTicker(TradingTestFolder.Paper, TradingTestFolder.Name, "BTC-USD").Price);
            Assert.Empty(trading.GetOrders(TradingTestFolder.Paper, TradingTestFolder.Name, new OrderQuery()));

            var e = Assert.Throws<CtException>(() => trading.GetBalances(TradingTestFolder.Paper, "nobody"));
            Assert.Equal(ErrorIds.CredentialNotFound, e.ErrorId);
            Assert.Equal(ErrorIds.CredentialNotFound, Assert.Throws<CtException>(() => trading.GetTicker(TradingTestFolder.Paper, "nobody", "BTC-USD")).ErrorId);
            Assert.Equal(ErrorIds.CredentialNotFound, Assert.Throws<CtException>(() => trading.GetOrders(TradingTestFolder.Paper, "nobody", new OrderQuery())).ErrorId);
        }

        [Fact]
        public void FailingAuditWrite_SendsNothing()
        {
            using var t = new TradingTestFolder();
            t.Grant();
            var before = t.Folder.RawCount();
            t.Folder.Tamper("CREATE TRIGGER block_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'blocked'); END;");

            var e = Assert.ThrowsAny<CtException>(() => t.Buy(0.01m));

            Assert.Equal(ErrorIds.AuditWriteFailed, e.ErrorId);
            t.Folder.Tamper("DROP TRIGGER block_audit;");
            Assert.Empty(t.Orders());
            Assert.Equal(10000m, t.Balance("USD").Available);
            Assert.Equal(before, t.Folder.RawCount());
        }

        [Fact]
        public void SameClientOrderId_ReturnsTheEarlierRecords_AndPlacesOneOrder()
        {
            using var t = new TradingTestFolder();
            t.Grant();

            var first = t.Buy(0.01m, clientOrderId: "retry-1");
            var second = t.Buy(0.01m, clientOrderId: "retry-1");

            Assert.Equal(first.Select(r => r.ChainHash), second.Select(r => r.ChainHash));
            Assert.Single(t.Orders());
            Assert.Single(t.Records(AuditEventType.TradeExecuted));
            Assert.Equal(9350m, t.Balance("USD").Available);
        }

        [Fact]
        public void InsufficientFunds_IsTradeFailed_WithRequestedAndFailedRecords()
        {
            using var t = new TradingTestFolder();
            t.Grant();

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(1m));

            // The exchange's own reason is the error's id, as in the TRADE_FAILED record.
            Assert.Equal(ErrorIds.InsufficientFunds, e.ErrorId);
            Assert.Equal(new[] { AuditEventType.TradeRequested, AuditEventType.TradeFailed }, e.Records.Select(r => r.EventType));
            Assert.Equal("InsufficientFunds", e.Records[1].Details["error_id"]);
            Assert.Empty(t.Orders());
            Assert.Equal(10000m, t.Balance("USD").Available);
        }

        private static void WaitUntilExpired(TradingTestFolder t)
        {
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (t.Permissions.Evaluate(t.Ring, TradingTestFolder.Paper, TradingTestFolder.Name).State != GrantState.Expired)
            {
                Assert.True(DateTime.UtcNow < deadline, "the grant did not expire");
                Thread.Sleep(50);
            }
        }

        private static void AssertRejected(TradingTestFolder t, TradeRejectedException e, string errorId, int rejections = 1, int ordersBefore = 0, decimal usdBefore = 10000m)
        {
            Assert.Equal(errorId, e.ErrorId);
            Assert.Equal(CtErrorKind.PermissionDenied, e.Kind);
            // What the gate found (an ERROR record, a recorded expiry) comes first; the rejection is always last.
            var record = e.Records.Last();
            Assert.Equal(AuditEventType.TradeRejected, record.EventType);
            Assert.Equal(errorId, record.Details["error_id"]);
            var logged = t.Records(AuditEventType.TradeRejected);
            Assert.Equal(rejections, logged.Count);
            Assert.Contains(logged, l => l.ChainHash == record.ChainHash);
            Assert.Equal(ordersBefore, t.Orders().Count);
            Assert.Equal(usdBefore, t.Balance("USD").Available);
        }
    }
}
