using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Trading;
using Xunit;

namespace CryptoTrader.Core.Tests.Trading
{
    /// <summary>
    /// The gate decides only on authenticated facts. As someone who can write the database file (without the key ring):
    /// edit, null, delete or put back what a decision depends on, and the gate must refuse, never allow.
    /// </summary>
    public class GateFactsTamperingTests
    {
        private const string Paper = TradingTestFolder.Paper;
        private const string Name = TradingTestFolder.Name;

        [Fact]
        public void ARevokedGrantPutBack_WithItsRevocationsExchangeColumnNulled_IsNotHonoured()
        {
            using var t = new TradingTestFolder();
            t.Grant();
            t.Folder.Tamper("CREATE TABLE saved_grant AS SELECT * FROM grants;");
            t.Permissions.Revoke(t.Log, t.Ring, Paper, Name);
            // The old gate found the revocation by the (un-MAC'd) exchange column.
            t.Folder.Tamper("UPDATE audit_log SET exchange = NULL WHERE event_type = 'PERMISSION_CHANGED'; INSERT INTO grants SELECT * FROM saved_grant;");

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));

            Assert.Equal(ErrorIds.GrantIntegrityFailed, e.ErrorId);
            Assert.Equal(AuditEventType.Error, e.Records[0].EventType);
            var info = t.Permissions.Describe(t.Ring, Paper, Name);
            Assert.Equal("ReadOnly", info.Level);
            Assert.False(info.IntegrityValid);
            Assert.Empty(t.Orders());
        }

        [Fact]
        public void TodaysOrdersHiddenByNullingTheirExchangeColumn_StillCount()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrdersPerDay = 2 });
            t.Buy(0.01m);
            t.Buy(0.01m);
            t.Folder.Tamper("UPDATE audit_log SET exchange = NULL, event_type = 'CONFIG_CHANGED' WHERE event_type = 'TRADE_REQUESTED';");

            Assert.Equal(ErrorIds.DailyOrderLimitReached, Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m)).ErrorId);
            Assert.Equal(2, t.Orders().Count);
        }

        [Fact]
        public void AGrantRowDeletedWhileTheLogSaysGranted_IsAnIntegrityFailureWithAnErrorRecord()
        {
            using var t = new TradingTestFolder();
            t.Grant();
            t.Folder.Tamper("DELETE FROM grants;");

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));

            Assert.Equal(ErrorIds.GrantIntegrityFailed, e.ErrorId);
            Assert.Equal(ErrorIds.GrantIntegrityFailed, Assert.Single(t.Records(AuditEventType.Error)).Details["error_id"]);
        }

        [Theory]
        [InlineData("UPDATE audit_state SET facts = replace(facts, '\"orders\":2', '\"orders\":0');")]
        [InlineData("UPDATE audit_state SET mac = replace(mac, substr(mac, 1, 1), CASE substr(mac, 1, 1) WHEN 'a' THEN 'b' ELSE 'a' END);")]
        [InlineData("DELETE FROM audit_state;")]
        [InlineData("UPDATE audit_state SET key_id = 'k0000000000000000';")]
        [InlineData("UPDATE audit_state SET key_id = NULL;")]
        public void AnEditedOrDeletedAuditState_StopsEveryWrite_AndNothingIsSent(string sql)
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrdersPerDay = 2 });
            t.Buy(0.01m);
            t.Buy(0.01m);
            var records = t.Folder.RawCount();
            t.Folder.Tamper(sql);

            var e = Assert.ThrowsAny<CtException>(() => t.Buy(0.01m));

            Assert.Equal(ErrorIds.AuditLogTampered, e.ErrorId);
            Assert.Equal(records, t.Folder.RawCount());
            Assert.Equal(2, t.Orders().Count);
            Assert.Equal(ErrorIds.AuditLogTampered, Assert.ThrowsAny<CtException>(() => t.Log.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "x"))).ErrorId);
        }

        [Fact]
        public void AnOlderAuditStatePutBack_IsRefused()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrdersPerDay = 1 });
            t.Folder.Tamper("CREATE TABLE saved_state AS SELECT * FROM audit_state;");
            t.Buy(0.01m);
            t.Folder.Tamper("DELETE FROM audit_state; INSERT INTO audit_state SELECT * FROM saved_state;");

            Assert.Equal(ErrorIds.AuditLogTampered, Assert.ThrowsAny<CtException>(() => t.Buy(0.01m)).ErrorId);
            Assert.Single(t.Orders());
        }

        [Fact]
        public void TheStateTheMigrationLeft_IsFoldedFromTheChain_WithTheSameFacts()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrdersPerDay = 2 });
            t.Buy(0.01m);
            t.Buy(0.01m);
            t.Folder.Tamper("UPDATE audit_state SET facts = '', key_id = NULL, mac = NULL;");

            Assert.Equal(ErrorIds.DailyOrderLimitReached, Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m)).ErrorId);
            Assert.NotNull(t.Folder.RawScalar("SELECT mac FROM audit_state;"));
        }

        [Fact]
        public void TheStateTheMigrationLeft_OverAChangedRecord_StopsEveryWrite()
        {
            using var t = new TradingTestFolder();
            t.Grant();
            t.Buy(0.01m);
            t.Folder.Tamper("UPDATE audit_state SET facts = '', key_id = NULL, mac = NULL; UPDATE audit_log SET user_id = 'mallory' WHERE sequence = 2;");

            Assert.Equal(ErrorIds.AuditLogTampered, Assert.ThrowsAny<CtException>(() => t.Buy(0.01m)).ErrorId);
        }

        [Fact]
        public void ExpiryRecorded_IsAFactOfTheLog_SoItIsRecordedOnce()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { Duration = TimeSpan.FromMilliseconds(1) });
            Thread.Sleep(1100);
            Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));
            // The old expiry_recorded column is no longer read: flipping it changes nothing.
            t.Folder.Tamper("UPDATE grants SET expiry_recorded = 0;");

            Assert.Equal(ErrorIds.TradingPermissionExpired, Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m)).ErrorId);

            Assert.Single(t.Records(AuditEventType.PermissionChanged), r => Equals(r.Details["action"], "expired"));
        }

        [Fact]
        public void AGrantWithItsCurrencyChangedOrNulled_FailsItsIntegrityCheck()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrderValue = 1000m });

            t.Folder.Tamper("UPDATE grants SET value_currency = 'BTC';");
            Assert.Equal(GrantState.IntegrityFailed, t.Permissions.Evaluate(t.Ring, Paper, Name).State);
            // NULL means a grant from before currencies (checked under the first MAC version): this one is not.
            t.Folder.Tamper("UPDATE grants SET value_currency = NULL;");
            Assert.Equal(GrantState.IntegrityFailed, t.Permissions.Evaluate(t.Ring, Paper, Name).State);
        }

        [Fact]
        public void AGrantFromBeforeCurrencies_IsHonouredInUsd()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrderValue = 1000m });
            var grant = new GrantStore(t.Database.Connection).Find(Paper, Name)!;
            grant.CurrencyRecorded = false;
            t.Folder.Tamper("UPDATE grants SET value_currency = NULL, mac = $mac;", ("$mac", GrantMac.Compute(t.Ring, grant.KeyId, grant)));

            var info = t.Permissions.Describe(t.Ring, Paper, Name);

            Assert.Equal("TradingEnabled", info.Level);
            Assert.Equal("USD", info.ValueCurrency);
            Assert.Equal(ErrorIds.OrderValueOverLimit, Assert.Throws<TradeRejectedException>(() => t.Buy(0.02m)).ErrorId);
        }

        [Fact]
        public void TradersOnSeparateConnectionsAtOnce_NeverExceedTheDailyLimit()
        {
            using var t = new TradingTestFolder(usd: 1_000_000m);
            t.Grant(new GrantLimits { MaxOrdersPerDay = 3 });
            const int traders = 8;
            var outcomes = new ConcurrentBag<string>();
            using var start = new Barrier(traders);
            var threads = Enumerable.Range(0, traders).Select(_ => new Thread(() =>
            {
                using var database = CtDatabase.Open(t.Folder.Home);
                var trading = new TradingService(database, new AuditLog(database, t.Folder.Home, t.Ring, "trader"), t.Ring);
                start.SignalAndWait();
                try
                {
                    trading.PlaceOrder(Paper, Name, OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.01m, null, null));
                    outcomes.Add("executed");
                }
                catch (TradeRejectedException e)
                {
                    outcomes.Add(e.ErrorId);
                }
            })).ToList();
            threads.ForEach(thread => thread.Start());
            threads.ForEach(thread => thread.Join());

            Assert.Equal(3, outcomes.Count(o => o == "executed"));
            Assert.Equal(traders - 3, outcomes.Count(o => o == ErrorIds.DailyOrderLimitReached));
            Assert.Equal(3, t.Orders().Count);
            Assert.True(t.Folder.Verify().IsValid);
        }

        [Fact]
        public void RevokingCancelsTheOpenOrders_EachAudited_AndTheyNeverFill()
        {
            using var t = new TradingTestFolder();
            t.Grant();
            t.Buy(0.01m, limit: 50000m);
            t.Buy(0.01m, limit: 40000m);

            var outcome = t.Trading().RevokeTrading(Paper, Name);

            Assert.Equal(AuditEventType.PermissionChanged, outcome.Revocation!.EventType);
            Assert.Empty(outcome.Failures);
            Assert.Equal(4, outcome.Records.Count);
            Assert.All(outcome.Records.Where(r => r.EventType == AuditEventType.TradeRequested), r => Assert.Equal("cancel", r.Details["action"]));
            Assert.All(t.Orders(), o => Assert.Equal("Cancelled", o.Status));
            Assert.Empty(t.SetPrice("BTC-USD", 30000m));
            Assert.Equal((10000m, 0m), t.Balance("USD"));
        }

        [Fact]
        public void AnExpiryTheGateNotices_CancelsTheOpenOrders()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { Duration = TimeSpan.FromSeconds(1) });
            t.Buy(0.01m, limit: 50000m);
            Thread.Sleep(1100);

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(0.01m));

            Assert.Equal(ErrorIds.TradingPermissionExpired, e.ErrorId);
            Assert.Contains(e.Records, r => r.EventType == AuditEventType.TradeExecuted && Equals(r.Details["action"], "cancel"));
            Assert.Equal("Cancelled", Assert.Single(t.Orders()).Status);
        }

        [Fact]
        public void RevokingACredentialThatDoesNotExist_IsCredentialNotFound()
        {
            using var t = new TradingTestFolder();
            var records = t.Folder.RawCount();

            var e = Assert.ThrowsAny<CtException>(() => t.Trading().RevokeTrading(Paper, "nosuch"));

            Assert.Equal(ErrorIds.CredentialNotFound, e.ErrorId);
            Assert.Equal(records, t.Folder.RawCount());
        }

        [Fact]
        public void ALimitOrderFilledByAPriceChange_WritesItsTradeExecutedRecord_EvenAfterRevocation()
        {
            using var t = new TradingTestFolder();
            t.Grant();
            var placed = t.Buy(0.01m, limit: 50000m);
            t.Permissions.Revoke(t.Log, t.Ring, Paper, Name);

            var fill = Assert.Single(t.SetPrice("BTC-USD", 49000m));

            Assert.Equal(AuditEventType.TradeExecuted, fill.EventType);
            Assert.Equal(placed[1].Details["order_id"], fill.Details["order_id"]);
            Assert.Equal("Filled", fill.Details["status"]);
            Assert.Equal(2, t.Records(AuditEventType.TradeExecuted).Count);
        }

        [Fact]
        public void AnOrderForASymbolWithoutAPrice_KeepsTheExchangesErrorId()
        {
            using var t = new TradingTestFolder();
            t.Grant();

            var e = Assert.Throws<TradeRejectedException>(() => t.Buy(1m, symbol: "DOGE-USD"));

            Assert.Equal(ErrorIds.UnknownSymbol, e.ErrorId);
            Assert.Equal(ErrorIds.UnknownSymbol, e.Records.Last().Details["error_id"]);
            Assert.Equal(AuditEventType.TradeFailed, e.Records.Last().EventType);
        }
    }
}
