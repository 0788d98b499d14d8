using System.Management.Automation;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges.Paper;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Sets a price on the paper exchange; open limit orders it crosses fill, each with a TRADE_EXECUTED record (output).</summary>
    [Cmdlet(VerbsCommon.Set, "CtPaperPrice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AuditRecord))]
    public sealed class SetCtPaperPriceCommand : CtCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SymbolCompleter))]
        public string Symbol { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public decimal Price { get; set; }

        internal override void Process(CtSession session)
        {
            var symbol = OrderValidation.NormalizeSymbol(Symbol);
            if (Price <= 0m)
            {
                throw new CtException(ErrorIds.InvalidOrder, CtErrorKind.InvalidArgument, "The price must be greater than zero.", "Price");
            }
            if (!ShouldProcess(symbol, $"Set the paper price to {Price}"))
            {
                return;
            }
            var ring = RequireKeyRing(session);
            WriteAuditRecords(new PaperMarket(session.Database).SetPrice(OpenAuditLog(session, ring), symbol, Price));
        }
    }
}
