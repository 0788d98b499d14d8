using System.Management.Automation;
using CryptoTrader.Core.Trading;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Account balances (a read: needs a stored credential, no trading grant).</summary>
    [Cmdlet(VerbsCommon.Get, "CtBalance")]
    [OutputType(typeof(Balance))]
    public sealed class GetCtBalanceCommand : CredentialCmdlet
    {
        internal override void Process(CtSession session)
        {
            WriteObject(OpenTrading(session).GetBalances(CanonicalExchange, CanonicalName), enumerateCollection: true);
        }
    }
}
