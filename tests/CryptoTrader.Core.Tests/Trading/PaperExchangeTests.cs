using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Exchanges.Paper;
using CryptoTrader.Core.Trading;
using Xunit;

namespace CryptoTrader.Core.Tests.Trading
{
    /// <summary>The paper exchange's order book: market and limit orders, holds, crossing prices, cancel, funds.</summary>
    public class PaperExchangeTests
    {
        [Fact]
        public void MarketBuy_FillsAtTheCurrentPrice()
        {
            using var t = new TradingTestFolder();
            using var credential = t.Credential();

            var order = Exchange(t).PlaceOrder(credential, Request(OrderSide.Buy, 0.01m));

            Assert.Equal("Filled", order.Status);
            Assert.Equal("Market", order.Type);
            Assert.Equal(0.01m, order.FilledQuantity);
            Assert.Equal(65000m, order.AveragePrice);
            Assert.Equal((9350m, 0m), t.Balance("USD"));
            Assert.Equal((0.01m, 0m), t.Balance("BTC"));
        }

        [Fact]
        public void MarketSell_CreditsTheQuoteCurrencyExactly()
        {
            using var t = new TradingTestFolder(usd: 0m, btcPrice: 65000.10m);
            t.Market.ResetAccount(t.Log, TradingTestFolder.Name, new Dictionary<string, decimal> { ["BTC"] = 0.1m });
            using var credential = t.Credential();

            var order = Exchange(t).PlaceOrder(credential, Request(OrderSide.Sell, 0.003m));

            Assert.Equal("Filled", order.Status);
            Assert.Equal(195.0003m, t.Balance("USD").Available);
            Assert.Equal(0.097m, t.Balance("BTC").Available);
        }

        [Fact]
        public void MarketableLimitBuy_FillsAtTheCurrentPriceNotTheLimit()
        {
            using var t = new TradingTestFolder();
            using var credential = t.Credential();

            var order = Exchange(t).PlaceOrder(credential, Request(OrderSide.Buy, 0.01m, 70000m));

            Assert.Equal("Filled", order.Status);
            Assert.Equal("Limit", order.Type);
            Assert.Equal(65000m, order.AveragePrice);
            Assert.Equal((9350m, 0m), t.Balance("USD"));
        }

        [Fact]
        public void MarketableLimitSell_FillsAtTheCurrentPrice()
        {
            using var t = new TradingTestFolder(usd: 0m);
            t.Market.ResetAccount(t.Log, TradingTestFolder.Name, new Dictionary<string, decimal> { ["BTC"] = 1m });
            using var credential = t.Credential();

            var order = Exchange(t).PlaceOrder(credential, Request(OrderSide.Sell, 0.5m, 60000m));

            Assert.Equal("Filled", order.Status);
            Assert.Equal(65000m, order.AveragePrice);
            Assert.Equal(32500m, t.Balance("USD").Available);
        }

        [Fact]
        public void RestingLimitBuy_HoldsItsFunds_AndFillsAtItsLimitWhenThePriceCrosses()
        {
            using var t = new TradingTestFolder();
            using var credential = t.Credential();

            var order = Exchange(t).PlaceOrder(credential, Request(OrderSide.Buy, 0.01m, 60000m));

            Assert.Equal("Open", order.Status);
            Assert.Equal(0m, order.FilledQuantity);
            Assert.Null(order.AveragePrice);
            Assert.Equal((9400m, 600m), t.Balance("USD"));

            Assert.Empty(t.SetPrice("BTC-USD", 60000.01m));
            var filled = Assert.Single(t.SetPrice("BTC-USD", 59000m));

            Assert.Equal(AuditEventType.TradeExecuted, filled.EventType);
            Assert.Equal(order.OrderId, filled.Details["order_id"]);
            Assert.Equal("Filled", filled.Details["status"]);
            Assert.Equal("60000", filled.Details["average_price"]);
            Assert.Equal(0.01m, Convert.ToDecimal(filled.Details["filled_quantity"]));
            Assert.Equal("Filled", Assert.Single(t.Orders()).Status);
            Assert.Equal((9400m, 0m), t.Balance("USD"));
            Assert.Equal((0.01m, 0m), t.Balance("BTC"));
            Assert.Empty(t.SetPrice("BTC-USD", 50000m));
        }

        [Fact]
        public void RestingLimitSell_HoldsTheBaseCurrency_AndFillsAtItsLimit()
        {
            using var t = new TradingTestFolder(usd: 0m);
            t.Market.ResetAccount(t.Log, TradingTestFolder.Name, new Dictionary<string, decimal> { ["BTC"] = 1m });
            using var credential = t.Credential();

            var order = Exchange(t).PlaceOrder(credential, Request(OrderSide.Sell, 0.25m, 70000m));

            Assert.Equal("Open", order.Status);
            Assert.Equal((0.75m, 0.25m), t.Balance("BTC"));
            var filled = Assert.Single(t.SetPrice("BTC-USD", 70000m));
            Assert.Equal("70000", filled.Details["average_price"]);
            Assert.Equal((17500m, 0m), t.Balance("USD"));
            Assert.Equal((0.75m, 0m), t.Balance("BTC"));
        }

        [Fact]
        public void Cancel_ReleasesTheHold_AndACancelledOrderNeverFills()
        {
            using var t = new TradingTestFolder();
            using var credential = t.Credential();
            var exchange = Exchange(t);
            var order = exchange.PlaceOrder(credential, Request(OrderSide.Buy, 0.01m, 50000m));

            var cancelled = exchange.CancelOrder(credential, order.OrderId);

            Assert.Equal("Cancelled", cancelled.Status);
            Assert.Equal((10000m, 0m), t.Balance("USD"));
            Assert.Empty(t.SetPrice("BTC-USD", 40000m));
            Assert.Equal((10000m, 0m), t.Balance("USD"));
            Assert.Equal("OrderNotOpen", Assert.Throws<ExchangeException>(() => exchange.CancelOrder(credential, order.OrderId)).ErrorId);
            Assert.Equal("OrderNotFound", Assert.Throws<ExchangeException>(() => exchange.CancelOrder(credential, "paper-none")).ErrorId);
        }

        [Fact]
        public void AnotherAccountsOrder_CannotBeCancelledOrSeen()
        {
            using var t = new TradingTestFolder();
            t.StoreKey("other");
            using var credential = t.Credential();
            using var other = t.Credential("other");
            var exchange = Exchange(t);
            var order = exchange.PlaceOrder(credential, Request(OrderSide.Buy, 0.01m, 50000m));

            Assert.Equal("OrderNotFound", Assert.Throws<ExchangeException>(() => exchange.CancelOrder(other, order.OrderId)).ErrorId);
            Assert.Empty(exchange.GetOrders(other, null));
            Assert.Empty(exchange.GetOrders(other, order.OrderId));
            Assert.Equal("Open", Assert.Single(exchange.GetOrders(credential, order.OrderId)).Status);
        }

        [Theory]
        [InlineData(OrderSide.Buy, "1", null)]
        [InlineData(OrderSide.Buy, "1", "60000")]
        [InlineData(OrderSide.Sell, "0.01", null)]
        [InlineData(OrderSide.Sell, "0.01", "70000")]
        public void InsufficientFunds_IsAnExchangeError_AndChangesNothing(OrderSide side, string quantity, string? limit)
        {
            using var t = new TradingTestFolder();
            using var credential = t.Credential();

            var e = Assert.Throws<ExchangeException>(() => Exchange(t).PlaceOrder(credential, Request(side, decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture), limit is null ? null : decimal.Parse(limit, System.Globalization.CultureInfo.InvariantCulture))));

            Assert.Equal("InsufficientFunds", e.ErrorId);
            Assert.Empty(t.Orders());
            Assert.Equal((10000m, 0m), t.Balance("USD"));
            Assert.Equal((0m, 0m), t.Balance("BTC"));
        }

        [Fact]
        public void UnknownSymbol_IsAnExchangeError()
        {
            using var t = new TradingTestFolder();
            using var credential = t.Credential();

            Assert.Equal("UnknownSymbol", Assert.Throws<ExchangeException>(() => Exchange(t).PlaceOrder(credential, OrderValidation.Create("ETH-USD", OrderSide.Buy, 1m, null, null))).ErrorId);
            Assert.Equal("UnknownSymbol", Assert.Throws<ExchangeException>(() => Exchange(t).GetTicker(credential, "ETH-USD")).ErrorId);
        }

        [Fact]
        public void SameClientOrderId_ReturnsTheExistingOrder()
        {
            using var t = new TradingTestFolder();
            using var credential = t.Credential();
            var exchange = Exchange(t);

            var first = exchange.PlaceOrder(credential, OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.01m, null, "same"));
            var second = exchange.PlaceOrder(credential, OrderValidation.Create("BTC-USD", OrderSide.Buy, 0.01m, null, "same"));

            Assert.Equal(first.OrderId, second.OrderId);
            Assert.Single(t.Orders());
            Assert.Equal(9350m, t.Balance("USD").Available);
        }

        [Fact]
        public void ResetAccount_CancelsOpenOrdersAndSetsBalances()
        {
            using var t = new TradingTestFolder();
            using var credential = t.Credential();
            Exchange(t).PlaceOrder(credential, Request(OrderSide.Buy, 0.01m, 50000m));

            t.Market.ResetAccount(t.Log, TradingTestFolder.Name, new Dictionary<string, decimal> { ["USD"] = 5m });

            Assert.Equal("Cancelled", Assert.Single(t.Orders()).Status);
            Assert.Equal((5m, 0m), t.Balance("USD"));
            Assert.Empty(t.SetPrice("BTC-USD", 1m));
        }

        [Fact]
        public void Amounts_AreStoredAsExactDecimalText()
        {
            using var t = new TradingTestFolder(usd: 0.3m);
            t.SetPrice("BTC-USD", 0.1m);
            using var credential = t.Credential();

            Exchange(t).PlaceOrder(credential, Request(OrderSide.Buy, 1m));
            Exchange(t).PlaceOrder(credential, Request(OrderSide.Buy, 2m));

            Assert.Equal(0m, t.Balance("USD").Available);
            Assert.Equal("0", t.Folder.RawScalar("SELECT available FROM paper_balances WHERE currency = 'USD';"));
            Assert.Equal("3", t.Folder.RawScalar("SELECT available FROM paper_balances WHERE currency = 'BTC';"));
        }

        private static PaperExchange Exchange(TradingTestFolder t) => new PaperExchange(t.Database);

        private static OrderRequest Request(OrderSide side, decimal quantity, decimal? limit = null) =>
            OrderValidation.Create("BTC-USD", side, quantity, limit, null);

        [Fact]
        public void Symbols_AreThosePricedOrTraded_AndOpenOrders_OnlyTheOpenOnes()
        {
            using var t = new TradingTestFolder(usd: 100000m);
            t.SetPrice("ETH-USD", 3000m);
            t.Grant();
            t.Buy(0.01m);
            var open = (string)t.Buy(0.1m, limit: 2000m, symbol: "ETH-USD")[1].Details["order_id"]!;
            t.StoreKey("bot1");

            Assert.Equal(new[] { "BTC-USD", "ETH-USD" }, t.Market.Symbols());
            Assert.Equal(open, Assert.Single(t.Market.OpenOrders(null)).OrderId);
            Assert.Equal(open, Assert.Single(t.Market.OpenOrders(TradingTestFolder.Name)).OrderId);
            Assert.Empty(t.Market.OpenOrders("bot1"));
        }
    }
}
