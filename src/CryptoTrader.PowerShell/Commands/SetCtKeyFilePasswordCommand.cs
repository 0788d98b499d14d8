using System;
using System.Management.Automation;
using System.Security;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Re-encrypts the key file under a new passphrase, atomically, with a CONFIG_CHANGED record.</summary>
    [Cmdlet(VerbsCommon.Set, "CtKeyFilePassword", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AuditRecord))]
    public sealed class SetCtKeyFilePasswordCommand : CtCmdlet
    {
        /// <summary>The current passphrase.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public SecureString? Password { get; set; }

        /// <summary>The new passphrase: at least 12 characters, not one character repeated, not only whitespace.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        public SecureString? NewPassword { get; set; }

        internal override void Process(CtSession session)
        {
            if (session.Store is not EncryptedFileKeyStore file)
            {
                throw new CtException(ErrorIds.KeyStoreNotUnlockable, CtErrorKind.InvalidOperation,
                    $"The key store in use is {session.Choice.Kind} ({session.Choice.Reason}); only the key file has a passphrase. " +
                    "To put the key ring into a key file, run Move-CtKeyRing -KeyStore File -Password <SecureString>.", session.Choice.Kind.ToString());
            }
            if (!ShouldProcess(file.Path, "Re-encrypt the key file under a new passphrase"))
            {
                return;
            }
            using var current = Password?.Copy() ?? PromptForPassphrase($"Current passphrase for the CryptoTrader key file {file.Path}: ", isNew: false, nameof(Password));
            using var replacement = NewPassword?.Copy() ?? PromptForNewPassphrase(file, nameof(NewPassword));
            var currentCharacters = Reveal(current);
            var replacementCharacters = Reveal(replacement);
            try
            {
                WriteAuditRecords(new[]
                {
                    KeyFilePassphraseChange.Run(session.Home, file, currentCharacters, replacementCharacters, ring => OpenAuditLog(session, ring)),
                });
            }
            finally
            {
                Array.Clear(currentCharacters, 0, currentCharacters.Length);
                Array.Clear(replacementCharacters, 0, replacementCharacters.Length);
            }
        }
    }
}
