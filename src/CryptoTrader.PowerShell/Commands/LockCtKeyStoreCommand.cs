using System.Management.Automation;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Forgets the key ring (and the key file's passphrase key) held in memory for the current data folder, zeroing their keys.</summary>
    [Cmdlet(VerbsCommon.Lock, "CtKeyStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class LockCtKeyStoreCommand : CtCmdlet
    {
        internal override void Process(CtSession session)
        {
            if (!ShouldProcess(session.Home.Path, "Forget the key ring held in memory"))
            {
                return;
            }
            var forgotten = KeyRingCache.Forget(session.Home.Path);
            WriteVerbose($"Forgot {forgotten} key ring(s) held for '{session.Home.Path}'.");
        }
    }
}
