using System.Collections.Generic;
using System.Management.Automation;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Changes settings of the current data folder. An empty string resets -Vault or -AuditUserId to its default.</summary>
    [Cmdlet(VerbsCommon.Set, "CtConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ConfigInfo))]
    public sealed class SetCtConfigCommand : CtCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public KeyStoreKind? KeyStore { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string? Vault { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string? AuditUserId { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        internal override void Process(CtSession session)
        {
            var changes = new Dictionary<string, string?>();
            if (KeyStore.HasValue)
            {
                changes[SettingNames.KeyStore] = KeyStore.Value == KeyStoreKind.Auto ? null : KeyStore.Value.ToString();
            }
            if (Vault != null)
            {
                changes[SettingNames.Vault] = Vault.Length == 0 ? null : SettingValidation.RequirePrintableName(Vault, nameof(Vault));
            }
            if (AuditUserId != null)
            {
                changes[SettingNames.AuditUserId] = AuditUserId.Length == 0 ? null : SettingValidation.RequirePrintableName(AuditUserId, nameof(AuditUserId));
            }
            if (changes.Count == 0)
            {
                WriteWarning("Nothing to change: pass -KeyStore, -Vault or -AuditUserId.");
                return;
            }
            if (!ShouldProcess(session.Home.Path, "Change settings: " + string.Join(", ", changes.Keys)))
            {
                return;
            }
            WarnWhenKeyRingStaysBehind(session);
            session.Settings.Set(changes);
            session.Reload();
            if (PassThru)
            {
                WriteObject(GetCtConfigCommand.Describe(session));
            }
        }

        private void WarnWhenKeyRingStaysBehind(CtSession session)
        {
            var pinned = session.Current.PinnedKeyStore;
            if (KeyStore.HasValue && KeyStore.Value != KeyStoreKind.Auto && pinned.HasValue && pinned.Value != KeyStore.Value)
            {
                WriteWarning($"This database's key ring is kept in the {pinned.Value} store. CryptoTrader does not move it: until it is in the {KeyStore.Value} store, commands that need it fail with KeyRingMissing.");
            }
        }
    }
}
