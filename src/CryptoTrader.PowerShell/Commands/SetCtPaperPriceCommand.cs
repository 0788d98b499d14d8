using System.Management.Automation;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.Exchanges.Paper;
using CryptoTrader.Core.MarketData;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>
    /// Sets a price on the paper exchange, given or the last stored close (-FromCandle); open limit orders it crosses
    /// fill, each with a TRADE_EXECUTED record (output).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CtPaperPrice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PriceSet)]
    [OutputType(typeof(AuditRecord))]
    public sealed class SetCtPaperPriceCommand : CtCmdlet
    {
        public const string PriceSet = "Price";
        public const string FromCandleSet = "FromCandle";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SymbolCompleter))]
        public string Symbol { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = PriceSet)]
        public decimal Price { get; set; }

        /// <summary>Take the price from the last stored candle close of the symbol.</summary>
        [Parameter(Mandatory = true, ParameterSetName = FromCandleSet)]
        public SwitchParameter FromCandle { get; set; }

        /// <summary>Only candles stored for this exchange (default: any).</summary>
        [Parameter(ParameterSetName = FromCandleSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ExchangeCompleter))]
        public string? Exchange { get; set; }

        /// <summary>Only candles of this granularity (default: any).</summary>
        [Parameter(ParameterSetName = FromCandleSet, ValueFromPipelineByPropertyName = true)]
        public CandleGranularity? Granularity { get; set; }

        internal override void Process(CtSession session)
        {
            var symbol = OrderValidation.NormalizeSymbol(Symbol);
            var price = Price;
            if (FromCandle)
            {
                var exchange = Exchange is null ? null : ExchangeCatalog.Normalize(Exchange);
                var candle = new CandleStore(session.Database).LatestClose(symbol, exchange, Granularity)
                    ?? throw new CtException(ErrorIds.NoCandles, CtErrorKind.NotFound,
                        $"No candles of {symbol} are stored{(exchange is null ? string.Empty : " for " + exchange)}{(Granularity is null ? string.Empty : " at " + Granularity)}: store some with Sync-CtMarketData or Import-CtCandle first.",
                        symbol);
                price = candle.Close;
                WriteVerbose($"The last stored close of {symbol} is {price}: the {candle.Granularity} candle from {candle.Exchange} starting {candle.Start:yyyy-MM-ddTHH:mm:ssZ}.");
            }
            if (price <= 0m)
            {
                throw new CtException(ErrorIds.InvalidOrder, CtErrorKind.InvalidArgument, "The price must be greater than zero.", "Price");
            }
            if (!ShouldProcess(symbol, $"Set the paper price to {price}"))
            {
                return;
            }
            var ring = RequireKeyRing(session);
            WriteAuditRecords(new PaperMarket(session.Database).SetPrice(OpenAuditLog(session, ring), symbol, price));
        }
    }
}
