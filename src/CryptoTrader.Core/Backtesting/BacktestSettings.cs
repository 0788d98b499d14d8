using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Backtesting
{
    /// <summary>What a backtest replays and with what: the series, the balances it starts with and the fee rate, checked.</summary>
    public sealed class BacktestSettings
    {
        public const decimal DefaultFeeRate = 0.006m;
        public const decimal DefaultQuoteBalance = 10000m;
        private static readonly Regex Currency = new Regex("^[A-Z0-9]{2,10}$", RegexOptions.CultureInvariant);

        private BacktestSettings(string exchange, string symbol, CandleGranularity granularity, IReadOnlyDictionary<string, decimal> initialBalance, decimal feeRate)
        {
            Exchange = exchange;
            Symbol = symbol;
            Granularity = granularity;
            InitialBalance = initialBalance;
            FeeRate = feeRate;
            BaseCurrency = symbol.Substring(0, symbol.IndexOf('-'));
            QuoteCurrency = symbol.Substring(symbol.IndexOf('-') + 1);
        }

        public string Exchange { get; }

        /// <summary>BASE-QUOTE, checked and upper case.</summary>
        public string Symbol { get; }

        public CandleGranularity Granularity { get; }

        public IReadOnlyDictionary<string, decimal> InitialBalance { get; }

        public decimal FeeRate { get; }

        public string BaseCurrency { get; }

        public string QuoteCurrency { get; }

        /// <param name="symbol">Already normalized (BASE-QUOTE, upper case).</param>
        /// <param name="initialBalance">Currency codes and amounts as text; null: 10,000 of the quote currency.</param>
        public static BacktestSettings Create(string exchange, string symbol, CandleGranularity granularity, IEnumerable<KeyValuePair<string, string?>>? initialBalance, decimal feeRate)
        {
            if (feeRate < 0m || feeRate >= 1m)
            {
                throw Invalid("FeeRate", $"The fee rate is a fraction of each trade's value from 0 up to (not including) 1, for example {DefaultFeeRate} for 0.6 %.");
            }
            var quote = symbol.Substring(symbol.IndexOf('-') + 1);
            var balances = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
            if (initialBalance is null)
            {
                balances[quote] = DefaultQuoteBalance;
            }
            else
            {
                foreach (var pair in initialBalance)
                {
                    var currency = (pair.Key ?? string.Empty).Trim().ToUpperInvariant();
                    if (!Currency.IsMatch(currency) || !decimal.TryParse(pair.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0m)
                    {
                        throw Invalid("InitialBalance", "Each initial balance is a currency code and a non-negative amount, for example @{ USD = 10000; BTC = 0.5 }.");
                    }
                    balances[currency] = amount;
                }
            }
            var settings = new BacktestSettings(exchange, symbol, granularity, balances, feeRate);
            if (settings.Holding(settings.QuoteCurrency) <= 0m && settings.Holding(settings.BaseCurrency) <= 0m)
            {
                throw Invalid("InitialBalance", $"The initial balance holds no {settings.QuoteCurrency} and no {settings.BaseCurrency}: the strategy would have nothing to trade {symbol} with.");
            }
            return settings;
        }

        private decimal Holding(string currency) => InitialBalance.TryGetValue(currency, out var amount) ? amount : 0m;

        private static CtException Invalid(string parameter, string message) =>
            new CtException(ErrorIds.InvalidBacktest, CtErrorKind.InvalidArgument, message, parameter);
    }
}
