using System;
using System.Linq;
using System.Management.Automation;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Enables trading for a credential, optionally for a limited time and within limits. Can cost money: confirms by default.</summary>
    [Cmdlet(VerbsSecurity.Grant, "CtTrading", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AuditRecord))]
    public sealed class GrantCtTradingCommand : CredentialCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNotGiven]
        public TimeSpan? Duration { get; set; }

        /// <summary>Largest value an order may have at worst (quantity x the higher of limit and market price), in -ValueCurrency.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNotGiven]
        public decimal? MaxOrderValue { get; set; }

        /// <summary>The currency of -MaxOrderValue (default USD); orders quoted in another are converted at QUOTE-CURRENCY.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNotGiven]
        public string? ValueCurrency { get; set; } = GrantLimits.DefaultValueCurrency;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNotGiven]
        public int? MaxOrdersPerDay { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SymbolCompleter))]
        [EmptyAsNotGiven]
        public string[]? AllowedSymbol { get; set; }

        internal override void Process(CtSession session)
        {
            var exchange = CanonicalExchange;
            var name = CanonicalName;
            var limits = new GrantLimits
            {
                Duration = Duration,
                MaxOrderValue = MaxOrderValue,
                ValueCurrency = string.IsNullOrWhiteSpace(ValueCurrency) ? GrantLimits.DefaultValueCurrency : ValueCurrency!.Trim().ToUpperInvariant(),
                MaxOrdersPerDay = MaxOrdersPerDay,
                AllowedSymbols = (AllowedSymbol ?? Array.Empty<string>()).Select(OrderValidation.NormalizeSymbol).Distinct().ToArray(),
            };
            var expiry = Duration.HasValue ? $"for {Duration.Value}" : "without expiry";
            if (!ShouldProcess($"{exchange}/{name}", $"Enable trading {expiry}"))
            {
                return;
            }
            var ring = RequireKeyRing(session);
            WriteObject(new PermissionService(session.Database).Grant(OpenAuditLog(session, ring), ring, exchange, name, limits));
        }
    }
}
