using System.Management.Automation;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>
    /// Places an order through the permission gate. Writes the trade's audit records (TRADE_REQUESTED, then
    /// TRADE_EXECUTED with order_id, status, filled_quantity and average_price, or TRADE_FAILED / TRADE_REJECTED).
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "CtTrade", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AuditRecord), typeof(OrderPreview))]
    public sealed class InvokeCtTradeCommand : CredentialCmdlet
    {
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SymbolCompleter))]
        public string Symbol { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        public OrderSide Side { get; set; }

        /// <summary>Amount of the base currency.</summary>
        [Parameter(Mandatory = true, Position = 3, ValueFromPipelineByPropertyName = true)]
        public decimal Quantity { get; set; }

        /// <summary>Makes it a good-till-cancelled limit order.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNotGiven]
        public decimal? LimitPrice { get; set; }

        /// <summary>Retrying with the same id never places a second order.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNotGiven]
        public string? ClientOrderId { get; set; }

        internal override void Process(CtSession session)
        {
            var exchange = CanonicalExchange;
            var name = CanonicalName;
            var request = OrderValidation.Create(Symbol, Side, Quantity, LimitPrice, ClientOrderId);
            if (!ShouldProcess($"{exchange}/{name}", "Send order: " + request))
            {
                if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter { IsPresent: true })
                {
                    // -WhatIf asks the exchange what the order would do (Coinbase: orders/preview); nothing is placed.
                    WriteObject(OpenTrading(session).PreviewOrder(exchange, name, request));
                }
                return;
            }
            WriteAuditRecords(OpenTrading(session).PlaceOrder(exchange, name, request));
        }
    }
}
