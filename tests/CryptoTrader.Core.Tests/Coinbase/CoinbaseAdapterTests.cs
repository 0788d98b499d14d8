using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CoinbaseStub;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges.Coinbase;
using CryptoTrader.Core.Trading;
using Xunit;

namespace CryptoTrader.Core.Tests.Coinbase
{
    [Collection(CoinbaseCollection.Name)]
    public sealed class CoinbaseAdapterTests
    {
        private readonly CoinbaseFixture fixture;

        public CoinbaseAdapterTests(CoinbaseFixture fixture)
        {
            this.fixture = fixture;
            fixture.Reset();
        }

        private CoinbaseStubServer Server => fixture.Server;

        /// <summary>Every request the stub saw carried a JWT it verified; and none of the errors shows a secret or a token.</summary>
        private void AssertAllJwtsValid()
        {
            var requests = Server.Snapshot();
            Assert.NotEmpty(requests);
            Assert.All(requests, r => Assert.Null(r.JwtError));
        }

        private void AssertNoSecretIn(Exception error)
        {
            var text = error.ToString();
            var body = string.Join("", fixture.Pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
            for (var i = 0; i + 16 <= body.Length; i += 16)
            {
                Assert.DoesNotContain(body.Substring(i, 16), text);
            }
            foreach (var request in Server.Snapshot().Where(r => r.Jwt.Length > 0))
            {
                Assert.DoesNotContain(request.Jwt, text);
                Assert.DoesNotContain(request.Jwt.Split('.')[2], text);
            }
            Assert.DoesNotContain("Bearer", text);
        }

        [Fact]
        public void BalancesAreReadAcrossPages()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            var balances = adapter.GetBalances(credential);
            Assert.Equal(new[] { "USD", "BTC", "ETH", "SOL", "USDC" }, balances.Select(b => b.Currency));
            var btc = balances.Single(b => b.Currency == "BTC");
            Assert.Equal(0.5m, btc.Available);
            Assert.Equal(0.1m, btc.Hold);
            Assert.Equal(25.5m, balances.Single(b => b.Currency == "USDC").Available);
            Assert.All(balances, b => Assert.Equal("coinbase", b.Exchange));
            var requests = Server.Snapshot();
            Assert.Equal(3, requests.Count);
            Assert.Equal(new[] { "", "2", "4" }, requests.Select(r => System.Web.HttpUtility.ParseQueryString(r.Query)["cursor"] ?? ""));
            AssertAllJwtsValid();
        }

        [Fact]
        public void TickerIsTheProductPrice()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            var ticker = adapter.GetTicker(credential, "BTC-USD");
            Assert.Equal(50000m, ticker.Price);
            Assert.Equal("BTC-USD", ticker.Symbol);
            Assert.Equal("/api/v3/brokerage/products/BTC-USD", Server.Snapshot().Single().Path);
            AssertAllJwtsValid();
        }

        [Fact]
        public void AMarketOrderIsPlacedWithBaseSizeAndClientOrderId()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            var order = adapter.PlaceOrder(credential, new OrderRequest("BTC-USD", OrderSide.Buy, 0.0100m, null, "ct-market-1"));
            Assert.Equal("Filled", order.Status);
            Assert.Equal("Market", order.Type);
            Assert.Equal(0.01m, order.Quantity);
            Assert.Equal(0.01m, order.FilledQuantity);
            Assert.Equal(50000m, order.AveragePrice);
            Assert.Equal("ct-market-1", order.ClientOrderId);
            var create = Server.Snapshot().First(r => r.Method == "POST");
            using var body = JsonDocument.Parse(create.Body);
            Assert.Equal("ct-market-1", body.RootElement.GetProperty("client_order_id").GetString());
            Assert.Equal("BUY", body.RootElement.GetProperty("side").GetString());
            Assert.Equal("0.01", body.RootElement.GetProperty("order_configuration").GetProperty("market_market_ioc").GetProperty("base_size").GetString());
            AssertAllJwtsValid();
        }

        [Fact]
        public void ALimitOrderIsGoodTillCancelledAndCanBeCancelled()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            var order = adapter.PlaceOrder(credential, new OrderRequest("ETH-USD", OrderSide.Sell, 1.5m, 3000m, "ct-limit-1"));
            Assert.Equal("Open", order.Status);
            Assert.Equal("Limit", order.Type);
            Assert.Equal("Sell", order.Side);
            Assert.Equal(3000m, order.LimitPrice);
            using (var body = JsonDocument.Parse(Server.Snapshot().First(r => r.Method == "POST").Body))
            {
                var limit = body.RootElement.GetProperty("order_configuration").GetProperty("limit_limit_gtc");
                Assert.Equal("1.5", limit.GetProperty("base_size").GetString());
                Assert.Equal("3000", limit.GetProperty("limit_price").GetString());
                Assert.False(limit.GetProperty("post_only").GetBoolean());
            }
            Assert.Equal(order.OrderId, adapter.GetOrders(credential, order.OrderId).Single().OrderId);
            Assert.Single(adapter.GetOrders(credential, null));
            var cancelled = adapter.CancelOrder(credential, order.OrderId);
            Assert.Equal("Cancelled", cancelled.Status);
            var again = Assert.Throws<ExchangeException>(() => adapter.CancelOrder(credential, order.OrderId));
            Assert.Contains("UNKNOWN_CANCEL_ORDER", again.Message);
            AssertAllJwtsValid();
        }

        [Fact]
        public void ARepeatedClientOrderIdReturnsTheFirstOrder()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            var first = adapter.PlaceOrder(credential, new OrderRequest("BTC-USD", OrderSide.Buy, 0.01m, null, "ct-same"));
            var second = adapter.PlaceOrder(credential, new OrderRequest("BTC-USD", OrderSide.Buy, 0.01m, null, "ct-same"));
            Assert.Equal(first.OrderId, second.OrderId);
            Assert.Single(Server.Orders);
        }

        [Fact]
        public void ARejectedOrderIsAnExchangeExceptionWithTheExchangesReason()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            var error = Assert.Throws<ExchangeException>(() => adapter.PlaceOrder(credential, new OrderRequest("BTC-USD", OrderSide.Buy, 5m, null, "ct-too-big")));
            // Insufficient funds has an ErrorId of its own on every exchange.
            Assert.Equal("InsufficientFunds", error.ErrorId);
            Assert.Contains("INSUFFICIENT_FUND", error.Message);
            Assert.Contains("Insufficient balance in source account", error.Message);
            AssertNoSecretIn(error);
        }

        [Fact]
        public void ARefusalInA200Answer_HasItsReasonCleanedAndBounded_LikeAnHttpError()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            string hostile = "UNKNOWN_FAILURE_REASON\\u001b[2J\\r\\nforged line " + new string('x', 1000);
            Server.Script.Enqueue(new ScriptedResponse("orders", 200, "{\"success\":false,\"failure_reason\":\"" + hostile + "\"}"));

            var error = Assert.Throws<ExchangeException>(() => adapter.PlaceOrder(credential, new OrderRequest("BTC-USD", OrderSide.Buy, 0.01m, null, "ct-hostile")));

            Assert.Equal("OrderRejected", error.ErrorId);
            Assert.Contains("UNKNOWN_FAILURE_REASON", error.Message);
            Assert.DoesNotContain(error.Message, char.IsControl);
            Assert.True(error.Message.Length < 400, "message length " + error.Message.Length);
        }

        [Fact]
        public void A400OrderErrorCarriesTheExchangesReason()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            Server.Script.Enqueue(new ScriptedResponse("orders", 400, "{\"error\":\"INVALID_ARGUMENT\",\"message\":\"Invalid product_id\",\"error_details\":\"\"}"));
            var error = Assert.Throws<ExchangeException>(() => adapter.PlaceOrder(credential, new OrderRequest("BTC-USD", OrderSide.Buy, 0.01m, null, "ct-400")));
            Assert.Contains("Invalid product_id", error.Message);
            Assert.Contains("HTTP 400", error.Message);
            AssertNoSecretIn(error);
        }

        [Fact]
        public void RateLimitedThenSuccessHonoursRetryAfter()
        {
            var (adapter, sleeps) = fixture.Adapter();
            using var credential = fixture.Credential();
            Server.Script.Enqueue(new ScriptedResponse("products/BTC-USD", 429, "{\"error\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"Too many requests\"}", RetryAfter: "2"));
            Assert.Equal(50000m, adapter.GetTicker(credential, "BTC-USD").Price);
            Assert.Equal(new[] { TimeSpan.FromSeconds(2) }, sleeps);
            Assert.Equal(2, Server.Snapshot().Count);
            AssertAllJwtsValid();
        }

        [Fact]
        public void ServerErrorsAreRetriedWithExponentialBackoffThenReported()
        {
            var (adapter, sleeps) = fixture.Adapter();
            using var credential = fixture.Credential();
            for (var i = 0; i < 4; i++)
            {
                Server.Script.Enqueue(new ScriptedResponse("accounts", 503, "{\"error\":\"UNAVAILABLE\",\"message\":\"try later\"}"));
            }
            var error = Assert.Throws<ExchangeException>(() => adapter.GetBalances(credential));
            Assert.Equal("ExchangeUnavailable", error.ErrorId);
            Assert.Equal(new[] { 0.5, 1.0, 2.0 }, sleeps.Select(s => s.TotalSeconds));
            Assert.Equal(4, Server.Snapshot().Count);
        }

        [Fact]
        public void AnOrderIsRetriedAfter429AndPlacedOnce()
        {
            var (adapter, sleeps) = fixture.Adapter();
            using var credential = fixture.Credential();
            Server.Script.Enqueue(new ScriptedResponse("orders", 429, "{\"error\":\"RATE_LIMIT_EXCEEDED\"}", RetryAfter: "1"));
            var order = adapter.PlaceOrder(credential, new OrderRequest("BTC-USD", OrderSide.Buy, 0.01m, null, "ct-retry"));
            Assert.Equal("Filled", order.Status);
            Assert.Single(Server.Orders);
            Assert.Equal(TimeSpan.FromSeconds(1), Assert.Single(sleeps));
            Assert.All(Server.Snapshot().Where(r => r.Method == "POST"), r => Assert.Contains("ct-retry", r.Body));
        }

        [Fact]
        public void ARequestNotSafeToRepeatIsNeverRetried()
        {
            var sleeps = new List<TimeSpan>();
            var http = new CoinbaseHttp(new Uri(Server.BaseUrl), sleep: sleeps.Add);
            using var credential = fixture.Credential();
            Server.Script.Enqueue(new ScriptedResponse("orders", 429, "{\"error\":\"RATE_LIMIT_EXCEEDED\"}", RetryAfter: "1"));
            var body = CoinbaseHttp.Body(w => w.WriteString("product_id", "BTC-USD"));
            var error = Assert.Throws<ExchangeException>(() => http.Send(credential, System.Net.Http.HttpMethod.Post, "orders", null, body, retryable: false, "a test request"));
            Assert.Equal("ExchangeRateLimited", error.ErrorId);
            Assert.Empty(sleeps);
            Assert.Single(Server.Snapshot());
        }

        [Fact]
        public void ARetryAfterBeyondTheBoundIsNotWaitedFor()
        {
            var (adapter, sleeps) = fixture.Adapter();
            using var credential = fixture.Credential();
            Server.Script.Enqueue(new ScriptedResponse("products/BTC-USD", 429, "{\"error\":\"RATE_LIMIT_EXCEEDED\"}", RetryAfter: "3600"));
            var error = Assert.Throws<ExchangeException>(() => adapter.GetTicker(credential, "BTC-USD"));
            Assert.Equal("ExchangeRateLimited", error.ErrorId);
            Assert.Empty(sleeps);
            Assert.Single(Server.Snapshot());
        }

        [Fact]
        public void Unauthorized401IsAnAuthenticationError()
        {
            var (adapter, sleeps) = fixture.Adapter();
            using var credential = fixture.Credential();
            Server.Script.Enqueue(new ScriptedResponse(null, 401, "{\"error\":\"UNAUTHENTICATED\",\"message\":\"Unauthorized\"}"));
            var error = Assert.Throws<ExchangeException>(() => adapter.GetBalances(credential));
            Assert.Equal(ErrorIds.ExchangeAuthenticationFailed, error.ErrorId);
            Assert.Equal(CtErrorKind.AuthenticationError, error.Kind);
            Assert.Empty(sleeps);
            AssertNoSecretIn(error);
        }

        [Fact]
        public void AKeyTheStubDoesNotKnowIsRefusedWith401()
        {
            var (adapter, _) = fixture.Adapter();
            using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            using var credential = fixture.Credential(other.ExportECPrivateKeyPem());
            var error = Assert.Throws<ExchangeException>(() => adapter.GetTicker(credential, "BTC-USD"));
            Assert.Equal(CtErrorKind.AuthenticationError, error.Kind);
            Assert.Equal("bad signature", Server.Snapshot().Single().JwtError);
        }

        [Fact]
        public void MissingScope403IsPermissionDenied()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            Server.CanTrade = false;
            var error = Assert.Throws<ExchangeException>(() => adapter.PlaceOrder(credential, new OrderRequest("BTC-USD", OrderSide.Buy, 0.01m, null, "ct-scope")));
            Assert.Equal(ErrorIds.ExchangePermissionDenied, error.ErrorId);
            Assert.Equal(CtErrorKind.PermissionDenied, error.Kind);
            Assert.Contains("Missing required scopes", error.Message);
            Assert.Empty(Server.Orders);
            AssertNoSecretIn(error);
        }

        [Fact]
        public void KeyPermissionsDetectReadOnlyAndTransferCapableKeys()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            Server.CanTrade = false;
            var readOnly = adapter.GetKeyPermissions(credential);
            Assert.True(readOnly.CanView);
            Assert.False(readOnly.CanTrade);
            Assert.False(readOnly.CanTransfer);
            Server.CanTrade = true;
            Server.CanTransfer = true;
            var transfer = adapter.GetKeyPermissions(credential);
            Assert.True(transfer.CanTrade);
            Assert.True(transfer.CanTransfer);
            Assert.Contains("CAN TRANSFER FUNDS", transfer.TransferWarning("coinbase", "default"));
            AssertAllJwtsValid();
        }

        [Fact]
        public void PreviewAsksTheExchangeAndPlacesNothing()
        {
            var (adapter, _) = fixture.Adapter();
            using var credential = fixture.Credential();
            var preview = adapter.PreviewOrder(credential, new OrderRequest("BTC-USD", OrderSide.Buy, 0.01m, null, "ct-preview"));
            Assert.Equal(503m, preview.OrderTotal);
            Assert.Equal(3m, preview.CommissionTotal);
            Assert.Empty(preview.Errors);
            Assert.Empty(Server.Orders);
            var request = Server.Snapshot().Single();
            Assert.Equal("/api/v3/brokerage/orders/preview", request.Path);
            Assert.DoesNotContain("client_order_id", request.Body);
        }

        [Fact]
        public async System.Threading.Tasks.Task AnUntrustedCertificateIsRefused()
        {
            Assert.True(fixture.TrustProblem is null, fixture.TrustProblem);
            using var otherCa = TestPki.CreateCa("Untrusted CA");
            var untrusted = await CoinbaseStubServer.StartAsync(TestPki.CreateServer(otherCa), fixture.KeyName, fixture.Key);
            try
            {
                var sleeps = new List<TimeSpan>();
                var adapter = new CoinbaseAdapter(new CoinbaseHttp(new Uri(untrusted.BaseUrl), sleep: sleeps.Add));
                using var credential = fixture.Credential();
                var error = Assert.Throws<ExchangeException>(() => adapter.GetBalances(credential));
                Assert.Equal("ExchangeUnreachable", error.ErrorId);
                Assert.Contains("certificate", error.Message, StringComparison.OrdinalIgnoreCase);
                Assert.Empty(untrusted.Snapshot());
                Assert.Empty(sleeps);
                AssertNoSecretIn(error);
            }
            finally
            {
                await untrusted.DisposeAsync();
            }
        }

        [Fact]
        public void PlainHttpIsRefusedBeforeAnythingIsSent()
        {
            var url = Server.BaseUrl.Replace("https://", "http://");
            var error = Assert.Throws<CtException>(() => new CoinbaseHttp(new Uri(url)));
            Assert.Contains("https://", error.Message);
            Assert.Empty(Server.Snapshot());
        }
    }
}
