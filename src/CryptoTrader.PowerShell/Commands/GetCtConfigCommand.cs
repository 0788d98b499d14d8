using System.Management.Automation;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Shows every setting and which key store is in use, and why.</summary>
    [Cmdlet(VerbsCommon.Get, "CtConfig")]
    [OutputType(typeof(ConfigInfo))]
    public sealed class GetCtConfigCommand : CtCmdlet
    {
        internal override void Process(CtSession session) => WriteObject(Describe(session));

        internal static ConfigInfo Describe(CtSession session) => new ConfigInfo
        {
            KeyStore = session.Current.KeyStore.ToString(),
            Vault = session.Current.Vault,
            AuditUserId = session.Current.AuditUserId,
            MaxApiKeyAgeDays = session.Current.MaxApiKeyAgeDays,
            UnlockTimeout = session.Current.UnlockTimeout,
            CoinbaseBaseUrl = session.Current.EffectiveCoinbaseBaseUrl,
            EffectiveAuditUserId = session.Current.EffectiveAuditUserId,
            KeyStoreInUse = session.Choice.Kind.ToString(),
            KeyStoreReason = session.Choice.Reason,
            KeyStoreLocation = session.Store.Location,
            DataPath = session.Home.Path,
            DataPathSource = session.Home.Source,
            DatabasePath = session.Database.Path,
            SchemaVersion = session.Database.SchemaVersion,
        };
    }
}
