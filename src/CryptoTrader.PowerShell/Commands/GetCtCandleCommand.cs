using System;
using System.Management.Automation;
using CryptoTrader.Core.MarketData;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Stored candles of one series, oldest first, from the local database only (works offline; no credential, no key ring).</summary>
    [Cmdlet(VerbsCommon.Get, "CtCandle")]
    [OutputType(typeof(Candle))]
    public sealed class GetCtCandleCommand : CandleSeriesCmdlet
    {
        /// <summary>Candles starting at or after this time (UTC; a time without a zone is taken as UTC).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTime? Start { get; set; }

        /// <summary>Candles starting before this time.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTime? End { get; set; }

        /// <summary>Only the last N candles (of the range, when one is given), still oldest first.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Last { get; set; }

        internal override void Process(CtSession session)
        {
            var exchange = CanonicalExchange;
            var symbol = CanonicalSymbol;
            if (Start.HasValue && End.HasValue)
            {
                CandleTime.RequireOrder(Start.Value, End.Value);
            }
            foreach (var candle in new CandleStore(session.Database).Read(exchange, symbol, Granularity, Start, End, Last))
            {
                WriteObject(candle);
            }
        }
    }
}
