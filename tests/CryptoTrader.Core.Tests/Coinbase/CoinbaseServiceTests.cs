using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Tests.Audit;
using CryptoTrader.Core.Trading;
using Xunit;

namespace CryptoTrader.Core.Tests.Coinbase
{
    /// <summary>The services over the stub: storing a key asks key_permissions, grants respect it, trades are audited without secrets.</summary>
    [Collection(CoinbaseCollection.Name)]
    public sealed class CoinbaseServiceTests : IDisposable
    {
        private readonly CoinbaseFixture fixture;
        private readonly AuditTestFolder folder = new AuditTestFolder();

        public CoinbaseServiceTests(CoinbaseFixture fixture)
        {
            this.fixture = fixture;
            fixture.Reset();
            Assert.True(fixture.TrustProblem is null, fixture.TrustProblem);
            new SettingsStore(folder.Database).Set(new Dictionary<string, string?> { [SettingNames.CoinbaseBaseUrl] = fixture.Server.BaseUrl });
        }

        public void Dispose() => folder.Dispose();

        private AuditRecord Store(out Exchanges.KeyCapabilities? capabilities, string? pem = null) =>
            new ApiKeyService(folder.Database).Set(folder.Log, folder.Ring, "coinbase", "default", fixture.KeyName, (pem ?? fixture.Pem).ToCharArray(), out capabilities);

        private void AssertNoSecretInLog()
        {
            var log = string.Join("\n", folder.ReadAll().Select(r => r.DetailsJson));
            foreach (var line in fixture.Pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)))
            {
                Assert.DoesNotContain(line, log);
            }
            foreach (var request in fixture.Server.Snapshot())
            {
                Assert.DoesNotContain(request.Jwt.Split('.').Last(), log);
            }
        }

        [Fact]
        public void StoringAKeyAsksTheExchangeWhatItMayDoAndKeepsTheAnswer()
        {
            fixture.Server.CanTransfer = true;
            var record = Store(out var capabilities);
            Assert.NotNull(capabilities);
            Assert.True(capabilities!.CanTrade);
            Assert.True(capabilities.CanTransfer);
            Assert.Equal(true, record.Details["can_transfer"]);
            var info = new ApiKeyService(folder.Database).List(90).Single();
            Assert.True(info.CanView);
            Assert.True(info.CanTrade);
            Assert.True(info.CanTransfer);
            Assert.Equal("/api/v3/brokerage/key_permissions", fixture.Server.Snapshot().Single().Path);
            AssertNoSecretInLog();
        }

        [Fact]
        public void AReadOnlyKeyCannotBeGrantedTrading()
        {
            fixture.Server.CanTrade = false;
            Store(out var capabilities);
            Assert.False(capabilities!.CanTrade);
            var error = Assert.Throws<CtException>(() => new PermissionService(folder.Database).Grant(folder.Log, folder.Ring, "coinbase", "default", new GrantLimits()));
            Assert.Equal(ErrorIds.KeyCannotTrade, error.ErrorId);
            Assert.Equal(CtErrorKind.PermissionDenied, error.Kind);
            Assert.Equal("ReadOnly", new PermissionService(folder.Database).Describe(folder.Ring, "coinbase", "default").Level);
        }

        [Fact]
        public void AMalformedPemStoresNothingAndContactsNobody()
        {
            var error = Assert.Throws<CtException>(() => Store(out _, "-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIBad\\n-----END EC PRIVATE KEY-----"));
            Assert.Equal(ErrorIds.InvalidApiSecret, error.ErrorId);
            Assert.Empty(new ApiKeyService(folder.Database).List(90));
            Assert.Empty(fixture.Server.Snapshot());
        }

        [Fact]
        public void AKeyCoinbaseRefusesIsNotStored()
        {
            fixture.Server.Script.Enqueue(new CoinbaseStub.ScriptedResponse("key_permissions", 401, "{\"error\":\"UNAUTHENTICATED\",\"message\":\"Unauthorized\"}"));
            var error = Assert.Throws<CtException>(() => Store(out _));
            Assert.Equal(ErrorIds.ExchangeAuthenticationFailed, error.ErrorId);
            Assert.Equal(CtErrorKind.AuthenticationError, error.Kind);
            Assert.Empty(new ApiKeyService(folder.Database).List(90));
            Assert.DoesNotContain(fixture.Server.Snapshot().Single().Jwt, error.ToString());
        }

        [Fact]
        public void TradesGoThroughTheGateAndAreAuditedWithoutSecrets()
        {
            Store(out _);
            var trading = new TradingService(folder.Database, folder.Log, folder.Ring);
            Assert.Equal(5, trading.GetBalances("coinbase", "default").Count);
            var refused = Assert.Throws<TradeRejectedException>(() => trading.PlaceOrder("coinbase", "default", OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.01m, null, null)));
            Assert.Equal(ErrorIds.TradingNotEnabled, refused.ErrorId);
            var preview = trading.PreviewOrder("coinbase", "default", OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.01m, null, null));
            Assert.Equal(503m, preview.OrderTotal);

            new PermissionService(folder.Database).Grant(folder.Log, folder.Ring, "coinbase", "default", new GrantLimits { MaxOrderValue = 1000m });
            var records = trading.PlaceOrder("coinbase", "default", OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.01m, null, "ct-service-1"));
            Assert.Equal(new[] { AuditEventType.TradeRequested, AuditEventType.TradeExecuted }, records.Select(r => r.EventType));
            Assert.Equal("Filled", records[1].Details["status"]);
            // The grant's value limit used the exchange's price (0.1 BTC at 50000 is over 1000).
            var over = Assert.Throws<TradeRejectedException>(() => trading.PlaceOrder("coinbase", "default", OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.1m, null, null)));
            Assert.Equal(ErrorIds.OrderValueOverLimit, over.ErrorId);

            fixture.Server.Accounts[0] = ("USD", 1m, 0m);
            try
            {
                var failed = Assert.Throws<TradeRejectedException>(() => trading.PlaceOrder("coinbase", "default", OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.01m, null, null)));
                // The exchange's own reason is the error's id, in the ErrorRecord and the TRADE_FAILED record.
                Assert.Equal(ErrorIds.InsufficientFunds, failed.ErrorId);
                Assert.Equal(ErrorIds.InsufficientFunds, failed.Records.Last().Details["error_id"]);
                Assert.Contains("Insufficient balance", failed.Message);
                Assert.Equal(AuditEventType.TradeFailed, failed.Records.Last().EventType);
                Assert.Contains("INSUFFICIENT_FUND", (string)failed.Records.Last().Details["reason"]!);
            }
            finally
            {
                fixture.Server.Accounts[0] = ("USD", 10000m, 0m);
            }

            fixture.Server.CanTrade = false;
            var scope = Assert.Throws<TradeRejectedException>(() => trading.PlaceOrder("coinbase", "default", OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.01m, null, null)));
            Assert.Equal(CtErrorKind.PermissionDenied, scope.Kind);
            Assert.Contains("Missing required scopes", scope.Message);

            fixture.Server.Script.Enqueue(new CoinbaseStub.ScriptedResponse(null, 401, "{\"error\":\"UNAUTHENTICATED\"}"));
            var auth = Assert.Throws<CtException>(() => trading.GetBalances("coinbase", "default"));
            Assert.Equal(ErrorIds.ExchangeAuthenticationFailed, auth.ErrorId);
            Assert.Equal(CtErrorKind.AuthenticationError, auth.Kind);

            Assert.True(folder.Verify().IsValid);
            Assert.All(fixture.Server.Snapshot(), r => Assert.Null(r.JwtError));
            AssertNoSecretInLog();
        }

        [Fact]
        public void AnHttpBaseUrlInTheDatabaseIsRefusedBeforeUse()
        {
            new SettingsStore(folder.Database).Set(new Dictionary<string, string?> { [SettingNames.CoinbaseBaseUrl] = fixture.Server.BaseUrl.Replace("https://", "http://") });
            var error = Assert.Throws<CtException>(() => Store(out _));
            Assert.Equal(ErrorIds.InvalidSetting, error.ErrorId);
            Assert.Empty(fixture.Server.Snapshot());
        }
    }
}
