using System.Linq;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Trading;
using Xunit;

namespace CryptoTrader.Core.Tests.Trading
{
    public class OrderQueryTests
    {
        [Fact]
        public void NoFilter_ListsEveryOrder()
        {
            using var t = new TradingTestFolder(usd: 100000m);
            t.Grant();
            t.Buy(0.01m);
            t.Buy(0.01m, limit: 50000m);

            Assert.Equal(2, t.Trading().GetOrders(TradingTestFolder.Paper, TradingTestFolder.Name, new OrderQuery()).Count);
        }

        [Fact]
        public void StatusAndSymbol_NarrowTheList_CaseInsensitive()
        {
            using var t = new TradingTestFolder(usd: 100000m);
            t.SetPrice("ETH-USD", 3000m);
            t.Grant();
            t.Buy(0.01m);
            t.Buy(0.1m, limit: 2000m, symbol: "ETH-USD");
            var trading = t.Trading();

            var open = Assert.Single(trading.GetOrders(TradingTestFolder.Paper, TradingTestFolder.Name, new OrderQuery(statuses: new[] { "open" })));
            Assert.Equal("ETH-USD", open.Symbol);
            var btc = Assert.Single(trading.GetOrders(TradingTestFolder.Paper, TradingTestFolder.Name, new OrderQuery(symbols: new[] { "btc-usd" })));
            Assert.Equal(OrderStatus.Filled, btc.Status);
            Assert.Empty(trading.GetOrders(TradingTestFolder.Paper, TradingTestFolder.Name, new OrderQuery(statuses: new[] { "Filled" }, symbols: new[] { "ETH-USD" })));
            Assert.Equal(2, trading.GetOrders(TradingTestFolder.Paper, TradingTestFolder.Name, new OrderQuery(statuses: new[] { "Open", "Filled" })).Count);
        }

        [Fact]
        public void OrderId_SelectsOneOrder_AndBlankMeansNotGiven()
        {
            using var t = new TradingTestFolder(usd: 100000m);
            t.Grant();
            var id = (string)t.Buy(0.01m)[1].Details["order_id"]!;
            t.Buy(0.01m);
            var trading = t.Trading();

            Assert.Equal(id, Assert.Single(trading.GetOrders(TradingTestFolder.Paper, TradingTestFolder.Name, new OrderQuery(id))).OrderId);
            Assert.Null(new OrderQuery(" ").OrderId);
        }

        [Theory]
        [InlineData("Lost")]
        [InlineData("")]
        public void UnknownStatus_IsAnInvalidOrderErrorListingTheStatuses(string status)
        {
            var e = Assert.Throws<CtException>(() => new OrderQuery(statuses: new[] { status }));

            Assert.Equal(ErrorIds.InvalidOrder, e.ErrorId);
            Assert.All(OrderStatus.All, s => Assert.Contains(s, e.Message));
        }

        [Fact]
        public void MalformedSymbol_IsAnInvalidOrderError()
        {
            Assert.Equal(ErrorIds.InvalidOrder, Assert.Throws<CtException>(() => new OrderQuery(symbols: new[] { "not a symbol" })).ErrorId);
        }

        [Fact]
        public void Statuses_AreTheOnesTheExchangesReport()
        {
            Assert.Equal(new[] { "Open", "Filled", "Cancelled", "Expired", "Failed", "Pending", "Unknown" }, OrderStatus.All.ToArray());
            Assert.Equal(OrderStatus.Cancelled, OrderStatus.Normalize(" cancelled "));
        }
    }
}
