using System.Management.Automation;
using System.Security;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>
    /// Unlocks the encrypted key file for this session. The first unlock of a data folder without a key file
    /// sets the passphrase and creates the key ring (and writes its ENCRYPTION_KEY_CREATED record).
    /// </summary>
    [Cmdlet(VerbsCommon.Unlock, "CtKeyStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AuditRecord))]
    public sealed class UnlockCtKeyStoreCommand : CtCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public SecureString? Password { get; set; }

        internal override void Process(CtSession session)
        {
            if (session.Store is not EncryptedFileKeyStore file)
            {
                throw new CtException(ErrorIds.KeyStoreNotUnlockable, CtErrorKind.InvalidOperation,
                    $"The key store in use is {session.Choice.Kind} ({session.Choice.Reason}); only the encrypted key file is unlocked with Unlock-CtKeyStore. " +
                    "Unlock a SecretManagement vault with Unlock-SecretVault, and the OS keyring by logging in to the desktop " +
                    "(without one: gnome-keyring-daemon --unlock; macOS: security unlock-keychain). To use the key file for a new data folder instead, " +
                    "run Set-CtConfig -KeyStore File -Password <SecureString>; to move this data folder's key ring into the key file, Move-CtKeyRing -KeyStore File -Password <SecureString>.",
                    session.Choice.Kind.ToString());
            }
            var action = file.Exists ? "Unlock the key file for this session" : "Create the key file with a new passphrase and a new key ring";
            if (!ShouldProcess(file.Path, action))
            {
                return;
            }
            var password = Password ?? PromptForKeyFilePassphrase(file, nameof(Password));
            var provider = Audited(session, session.KeyRings());
            var ring = UnlockKeyFile(file, password, provider);
            WriteVerbose($"Key file '{file.Path}' unlocked for this session; primary key {ring.Primary.Id}.");
        }
    }
}
