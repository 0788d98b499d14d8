using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges.Paper;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Cancels the paper account's open orders and sets its balances, e.g. -Balance @{ USD = 10000 }.</summary>
    [Cmdlet(VerbsCommon.Reset, "CtPaperAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AuditRecord))]
    public sealed class ResetCtPaperAccountCommand : CtCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public Hashtable Balance { get; set; } = new Hashtable();

        /// <summary>The credential name whose paper account this is.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CredentialNameCompleter))]
        [EmptyAsNotGiven]
        public string? Name { get; set; } = CredentialName.Default;

        internal override void Process(CtSession session)
        {
            var name = SingleCredential.Name(Name);
            var balances = new Dictionary<string, decimal>();
            foreach (DictionaryEntry entry in Balance)
            {
                var currency = (entry.Key?.ToString() ?? string.Empty).Trim().ToUpperInvariant();
                if (currency.Length < 2 || currency.Length > 10 || !decimal.TryParse(entry.Value?.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || amount < 0m)
                {
                    throw new CtException(ErrorIds.InvalidOrder, CtErrorKind.InvalidArgument,
                        "Each balance is a currency code and a non-negative amount, for example @{ USD = 10000; BTC = 0.5 }.", "Balance");
                }
                balances[currency] = amount;
            }
            if (!ShouldProcess($"paper/{name}", "Cancel open orders and set balances"))
            {
                return;
            }
            var ring = RequireKeyRing(session);
            WriteObject(new PaperMarket(session.Database).ResetAccount(OpenAuditLog(session, ring), name, balances));
        }
    }
}
