using System.Management.Automation;
using CryptoTrader.Core.Credentials;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>
    /// Rotates the master key: a new primary key in the key store, every stored token re-encrypted under it,
    /// the old key retired. Safe to interrupt; running it again finishes the job.
    /// </summary>
    [Cmdlet(VerbsData.Update, "CtEncryptionKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AuditRecord))]
    public sealed class UpdateCtEncryptionKeyCommand : CtCmdlet
    {
        internal override void Process(CtSession session)
        {
            var provider = Audited(session, session.KeyRings());
            RequireKeyRing(provider);
            if (!ShouldProcess(provider.Store.Location, "Create a new primary key and re-encrypt every stored API key under it"))
            {
                return;
            }
            var rotation = new KeyRotation(session.Database, session.Home, provider);
            WriteObject(rotation.Rotate(ring => OpenAuditLog(session, ring)));
        }
    }
}
