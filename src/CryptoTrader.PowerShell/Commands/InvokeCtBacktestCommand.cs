using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using CryptoTrader.Core.Backtesting;
using CryptoTrader.Core.MarketData;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>
    /// Replays stored candles through a strategy script block ($Candle, $Backtest) with the core's backtest engine.
    /// Local only: it touches no paper or exchange account, needs no credential, grant or key ring, and writes no audit record.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "CtBacktest")]
    [OutputType(typeof(BacktestResult))]
    public sealed class InvokeCtBacktestCommand : CandleSeriesCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public DateTime Start { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public DateTime End { get; set; }

        [Parameter(Mandatory = true)]
        public ScriptBlock Strategy { get; set; } = ScriptBlock.Create(string.Empty);

        /// <summary>Default: 10,000 of the symbol's quote currency (@{ USD = 10000 } for BTC-USD).</summary>
        [Parameter]
        public Hashtable? InitialBalance { get; set; }

        [Parameter]
        public decimal FeeRate { get; set; } = BacktestSettings.DefaultFeeRate;

        internal override void Process(CtSession session)
        {
            var exchange = CanonicalExchange;
            var symbol = CanonicalSymbol;
            CandleTime.RequireOrder(Start, End);
            var balances = InitialBalance?.Cast<DictionaryEntry>()
                .Select(e => new KeyValuePair<string, string?>(e.Key?.ToString() ?? string.Empty, InvariantText(e.Value)))
                .ToList();
            var settings = BacktestSettings.Create(exchange, symbol, Granularity, balances, FeeRate);
            var candles = new CandleStore(session.Database).Read(exchange, symbol, Granularity, Start, End);
            try
            {
                WriteObject(BacktestEngine.Run(settings, candles, ScriptBlockStrategy()));
            }
            catch (OperationCanceledException e) when (e.InnerException is PipelineStoppedException stopped)
            {
                ExceptionDispatchInfo.Capture(stopped).Throw();
            }
        }

        // 0.5 is "0.5" whatever the session's culture.
        private static string? InvariantText(object? value) =>
            value is null ? null : (string)LanguagePrimitives.ConvertTo(value, typeof(string), CultureInfo.InvariantCulture);

        // Each call runs the script block in a new scope of its own session state, with $Candle and $Backtest defined there.
        private Action<Candle, BacktestContext> ScriptBlockStrategy()
        {
            var candle = new PSVariable("Candle", null);
            var backtest = new PSVariable("Backtest", null);
            var variables = new List<PSVariable> { candle, backtest };
            return (current, context) =>
            {
                candle.Value = current;
                backtest.Value = context;
                try
                {
                    Strategy.InvokeWithContext((Dictionary<string, ScriptBlock>?)null, variables);
                }
                catch (PipelineStoppedException e)
                {
                    // The user pressed Ctrl+C: a stop, not a strategy failure.
                    throw new OperationCanceledException(e.Message, e);
                }
            };
        }
    }
}
