using System.Linq;
using System.Management.Automation;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>
    /// Orders of every stored credential the -Exchange and -Name filters select (all when omitted), optionally only one
    /// order, or those with the given statuses and symbols (a read). A credential whose orders cannot be read is reported
    /// and the next one goes on.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CtOrder")]
    [OutputType(typeof(Order))]
    public sealed class GetCtOrderCommand : CredentialFilterCmdlet
    {
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(OrderIdCompleter))]
        [EmptyAsNotGiven]
        public string? OrderId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(OrderStatusCompleter))]
        [EmptyAsNotGiven]
        public string[]? Status { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SymbolCompleter))]
        [EmptyAsNotGiven]
        public string[]? Symbol { get; set; }

        internal override void Process(CtSession session)
        {
            PrepareFilter();
            var query = new OrderQuery(OrderId, Status, Symbol);
            var trading = OpenTrading(session);
            var credentials = new ApiKeyService(session.Database).List(session.Current.MaxApiKeyAgeDays).Where(k => Matches(k.Exchange, k.Name)).ToList();
            ForEachItem(credentials, key => WriteObject(trading.GetOrders(key.Exchange, key.Name, query), enumerateCollection: true));
            ForEachItem(Name?.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)) ?? Enumerable.Empty<string>(), name =>
            {
                if (!credentials.Any(k => k.Name == SingleCredential.Name(name)))
                {
                    throw new CtException(ErrorIds.CredentialNotFound, CtErrorKind.NotFound,
                        $"No stored credential is named '{name}'" + (Exchange is null ? "" : $" on {string.Join(", ", Exchange)}") + ". List them with Get-CtApiKey.", name);
                }
            });
        }
    }
}
