using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.PowerShell.Hosting;
using CryptoTrader.PowerShell.KeyStores;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>
    /// Moves the data folder's key ring to another store: copies it, reads it back and compares, switches the data folder to
    /// that store (CONFIG_CHANGED naming both), then deletes the old copy. Run again after an interruption to finish.
    /// </summary>
    [Cmdlet(VerbsCommon.Move, "CtKeyRing", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AuditRecord))]
    public sealed class MoveCtKeyRingCommand : CtCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateSet(nameof(KeyStoreKind.SecretManagement), nameof(KeyStoreKind.Keyring), nameof(KeyStoreKind.File))]
        public KeyStoreKind KeyStore { get; set; }

        /// <summary>The SecretManagement vault to move to (default: the default vault).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Vault { get; set; }

        /// <summary>The passphrase of the key file to move to (a new key file: the rules of new passphrases apply).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SecureString? Password { get; set; }

        internal override void Process(CtSession session)
        {
            if (Vault != null && KeyStore != KeyStoreKind.SecretManagement)
            {
                throw new CtException(ErrorIds.InvalidSetting, CtErrorKind.InvalidArgument, "-Vault applies to -KeyStore SecretManagement only.", nameof(Vault));
            }
            if (Password != null && KeyStore != KeyStoreKind.File)
            {
                throw new CtException(ErrorIds.PasswordNotApplicable, CtErrorKind.InvalidArgument, "-Password is the passphrase of a key file: it applies to -KeyStore File only.", nameof(Password));
            }
            var vault = Vault is null ? null : SettingValidation.RequirePrintableName(Vault, nameof(Vault));
            var source = session.Store;
            var target = session.StoreFor(KeyStore, vault);
            var provider = Audited(session, session.KeyRings());
            var move = new KeyRingMove(session.Home, session.Settings, provider, target);
            if (target.CacheKey == source.CacheKey)
            {
                FinishEarlierMove(session, move, target);
                return;
            }
            if (!ShouldProcess(target.Location, $"Move the key ring from {source.Location} to {target.Location} and delete it from {source.Location}"))
            {
                return;
            }
            RequireKeyRing(provider);
            if (target is EncryptedFileKeyStore file)
            {
                using var passphrase = Password?.Copy() ?? PromptForKeyFilePassphrase(file, nameof(Password));
                UnlockTarget(file, passphrase);
            }
            var outcome = move.Run(ring => OpenAuditLog(session, ring), SwitchTo(session, target), Note(source));
            WriteAuditRecords(new[] { outcome.Record });
            if (outcome.OldCopyLeft != null)
            {
                WriteWarning(outcome.OldCopyLeft);
            }
            session.Reload();
        }

        // The settings that make the folder use the target: the pinned store, an explicit -KeyStore setting (Auto stays Auto),
        // and the vault by name, so a later change of the default vault does not lose the ring.
        private static Dictionary<string, string?> SwitchTo(CtSession session, IKeyStore target)
        {
            var settings = new Dictionary<string, string?> { [SettingNames.KeyRingStore] = target.Kind.ToString() };
            if (session.Current.KeyStore != KeyStoreKind.Auto)
            {
                settings[SettingNames.KeyStore] = target.Kind.ToString();
            }
            if (target is SecretManagementKeyStore vault)
            {
                settings[SettingNames.Vault] = vault.Vault;
            }
            return settings;
        }

        private static string Note(IKeyStore source) =>
            source is SecretManagementKeyStore vault ? source.Kind + ":" + vault.Vault : source.Kind.ToString();

        private void FinishEarlierMove(CtSession session, KeyRingMove move, IKeyStore target)
        {
            var note = session.Settings.Get(SettingNames.KeyRingMovedFrom);
            if (note is null)
            {
                WriteVerbose($"The key ring is already in {target.Location}; nothing to move.");
                return;
            }
            var parts = note.Split(new[] { ':' }, 2);
            if (!System.Enum.TryParse<KeyStoreKind>(parts[0], out var kind) || !ShouldProcess(kind.ToString(), "Delete the copy of the key ring an interrupted move left there"))
            {
                return;
            }
            var old = session.StoreFor(kind, parts.Length > 1 ? parts[1] : null);
            var left = move.DeleteOldCopy(old);
            if (left != null)
            {
                WriteWarning(left);
            }
            else
            {
                WriteVerbose($"Deleted the copy of the key ring left in {old.Location} by an interrupted move.");
            }
        }

        // A key file left by an interrupted move opens with its passphrase (and must hold this ring); a new one gets it.
        private static void UnlockTarget(EncryptedFileKeyStore file, SecureString passphrase)
        {
            var characters = Reveal(passphrase);
            try
            {
                file.Unlock(characters);
            }
            finally
            {
                System.Array.Clear(characters, 0, characters.Length);
            }
        }
    }
}
