using System;
using System.Collections.Generic;
using CryptoTrader.Core.Trading;

namespace CryptoTrader.Core.Backtesting
{
    /// <summary>
    /// What a strategy sees and does on each candle ($Backtest): the settled balances, the closes so far (no
    /// look-ahead) and orders, which fill at the next candle's open. Balances change only when orders fill; an
    /// order placed now reserves nothing.
    /// </summary>
    public sealed class BacktestContext
    {
        private readonly BacktestSettings settings;
        private readonly Dictionary<string, decimal> balances = new Dictionary<string, decimal>(StringComparer.Ordinal);
        private readonly List<decimal> closes = new List<decimal>();
        private readonly List<BacktestTrade> pending = new List<BacktestTrade>();
        private readonly List<BacktestTrade> trades = new List<BacktestTrade>();
        private DateTime current;

        internal BacktestContext(BacktestSettings settings)
        {
            this.settings = settings;
            foreach (var pair in settings.InitialBalance)
            {
                balances[pair.Key] = pair.Value;
            }
            balances[settings.BaseCurrency] = Balance(settings.BaseCurrency);
            balances[settings.QuoteCurrency] = Balance(settings.QuoteCurrency);
        }

        /// <summary>The base currency held (BTC for BTC-USD).</summary>
        public decimal Position => balances[settings.BaseCurrency];

        /// <summary>Buys <paramref name="quantity"/> of the base currency at the next candle's open.</summary>
        public void Buy(decimal quantity) => Place(OrderSide.Buy, quantity);

        /// <summary>Sells <paramref name="quantity"/> of the base currency at the next candle's open.</summary>
        public void Sell(decimal quantity) => Place(OrderSide.Sell, quantity);

        /// <summary>The settled balance of a currency (0 for one never held).</summary>
        public decimal Balance(string currency) =>
            balances.TryGetValue((currency ?? string.Empty).Trim().ToUpperInvariant(), out var amount) ? amount : 0m;

        /// <summary>The closes of the last <paramref name="count"/> candles up to and including the current one, oldest first; fewer at the start of the run.</summary>
        public decimal[] Close(int count)
        {
            if (count <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, "Close(n) needs a number of candles greater than zero.");
            }
            var taken = Math.Min(count, closes.Count);
            var result = new decimal[taken];
            closes.CopyTo(closes.Count - taken, result, 0, taken);
            return result;
        }

        internal IReadOnlyList<BacktestTrade> Trades => trades;

        internal IReadOnlyDictionary<string, decimal> Balances => balances;

        /// <summary>The base and quote balances in the quote currency at <paramref name="price"/>.</summary>
        internal decimal ValueAt(decimal price) => balances[settings.QuoteCurrency] + balances[settings.BaseCurrency] * price;

        /// <summary>A new candle: the orders placed on the one before fill (or are refused) at its open, then its close joins the history.</summary>
        internal void Advance(Candle candle)
        {
            foreach (var order in pending)
            {
                Fill(order, candle);
                trades.Add(order);
            }
            pending.Clear();
            closes.Add(candle.Close);
            current = candle.Start;
        }

        /// <summary>After the last candle: what is still pending never fills.</summary>
        internal void Finish()
        {
            foreach (var order in pending)
            {
                order.Status = "Unfilled";
                order.Reason = "Placed on the last candle: no later candle to fill it.";
                trades.Add(order);
            }
            pending.Clear();
        }

        private void Place(OrderSide side, decimal quantity)
        {
            if (quantity <= 0m)
            {
                throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"{side}(quantity) needs a quantity greater than zero.");
            }
            pending.Add(new BacktestTrade { Placed = current, Side = side.ToString(), Quantity = OrderValidation.Canonical(quantity) });
        }

        private void Fill(BacktestTrade order, Candle candle)
        {
            var price = candle.Open;
            var value = order.Quantity * price;
            var fee = OrderValidation.Canonical(value * settings.FeeRate);
            order.Time = candle.Start;
            order.Price = price;
            var quote = balances[settings.QuoteCurrency];
            var held = balances[settings.BaseCurrency];
            if (order.Side == nameof(OrderSide.Buy))
            {
                if (quote < value + fee)
                {
                    Refuse(order, $"Needs {OrderValidation.Canonical(value + fee)} {settings.QuoteCurrency} with the fee; {quote} available.");
                    return;
                }
                balances[settings.QuoteCurrency] = OrderValidation.Canonical(quote - value - fee);
                balances[settings.BaseCurrency] = OrderValidation.Canonical(held + order.Quantity);
            }
            else
            {
                if (held < order.Quantity)
                {
                    Refuse(order, $"Needs {order.Quantity} {settings.BaseCurrency}; {held} held.");
                    return;
                }
                balances[settings.BaseCurrency] = OrderValidation.Canonical(held - order.Quantity);
                balances[settings.QuoteCurrency] = OrderValidation.Canonical(quote + value - fee);
            }
            order.Fee = fee;
            order.Status = "Filled";
        }

        private static void Refuse(BacktestTrade order, string reason)
        {
            order.Status = "Refused";
            order.Reason = reason;
        }
    }
}
