using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges.Coinbase;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.PowerShell.Hosting;
using CryptoTrader.PowerShell.KeyStores;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>
    /// Changes settings of the current data folder, each with a CONFIG_CHANGED audit record written in the same
    /// transaction and to the pipeline. An empty string resets -Vault or -AuditUserId to its default.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CtConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AuditRecord), typeof(ConfigInfo))]
    public sealed class SetCtConfigCommand : CtCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public KeyStoreKind? KeyStore { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(VaultCompleter))]
        [AllowEmptyString]
        public string? Vault { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string? AuditUserId { get; set; }

        /// <summary>API keys older than this many days draw a warning from Get-CtApiKey (default 90).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 3650)]
        public int? MaxApiKeyAgeDays { get; set; }

        /// <summary>The Coinbase Advanced Trade base URL (https:// only); empty string: the real one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string? CoinbaseBaseUrl { get; set; }

        /// <summary>Also writes the resulting configuration (Get-CtConfig's object).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        internal override void Process(CtSession session)
        {
            var changes = CollectChanges(session.Current);
            if (changes.Count == 0)
            {
                WriteVerbose("Every given setting already has that value; nothing to change.");
            }
            else if (ShouldProcess(session.Home.Path, "Change settings: " + string.Join(", ", changes.Select(c => c.DisplayName))))
            {
                // The records are sealed with the key ring of the store the new settings choose, so switching
                // to a store that lacks this database's key ring fails here, before anything is written.
                var ring = RequireKeyRing(Audited(session, session.KeyRingsFor(session.Current.With(changes))));
                WriteAuditRecords(ConfigChanges.Apply(OpenAuditLog(session, ring), session.Settings, changes));
                session.Reload();
            }
            if (PassThru)
            {
                WriteObject(GetCtConfigCommand.Describe(session));
            }
        }

        private List<SettingChange> CollectChanges(CtSettings current)
        {
            var changes = new List<SettingChange>();
            if (KeyStore.HasValue)
            {
                var value = KeyStore.Value == KeyStoreKind.Auto ? null : KeyStore.Value.ToString();
                AddIfDifferent(changes, nameof(KeyStore), SettingNames.KeyStore, current.KeyStore == KeyStoreKind.Auto ? null : current.KeyStore.ToString(), value);
            }
            if (Vault != null)
            {
                var value = Vault.Length == 0 ? null : SettingValidation.RequirePrintableName(Vault, nameof(Vault));
                if (value != null && value != current.Vault)
                {
                    RequireRegisteredVault(value);
                }
                AddIfDifferent(changes, nameof(Vault), SettingNames.Vault, current.Vault, value);
            }
            if (AuditUserId != null)
            {
                var value = AuditUserId.Length == 0 ? null : SettingValidation.RequirePrintableName(AuditUserId, nameof(AuditUserId));
                AddIfDifferent(changes, nameof(AuditUserId), SettingNames.AuditUserId, current.AuditUserId, value);
            }
            if (MaxApiKeyAgeDays.HasValue)
            {
                AddIfDifferent(changes, nameof(MaxApiKeyAgeDays), SettingNames.MaxApiKeyAgeDays,
                    current.MaxApiKeyAgeDays.ToString(CultureInfo.InvariantCulture), MaxApiKeyAgeDays.Value.ToString(CultureInfo.InvariantCulture));
            }
            if (CoinbaseBaseUrl != null)
            {
                var value = CoinbaseBaseUrl.Length == 0 ? null : CoinbaseEndpoint.Parse(CoinbaseBaseUrl).ToString();
                AddIfDifferent(changes, nameof(CoinbaseBaseUrl), SettingNames.CoinbaseBaseUrl, current.CoinbaseBaseUrl, value);
            }
            return changes;
        }

        private static void RequireRegisteredVault(string vault)
        {
            var registered = SecretManagementKeyStore.RegisteredVaults().Select(v => v.Name).ToList();
            if (!registered.Contains(vault, System.StringComparer.OrdinalIgnoreCase))
            {
                var known = registered.Count == 0 ? "none is registered" : "registered: " + string.Join(", ", registered);
                throw new CtException(ErrorIds.VaultNotRegistered, CtErrorKind.NotFound,
                    $"No SecretManagement vault named '{vault}' is registered ({known}). Register it first (Register-SecretVault), " +
                    "or pass -Vault '' to use the default vault.", vault);
            }
        }

        private static void AddIfDifferent(List<SettingChange> changes, string displayName, string storageName, string? oldValue, string? newValue)
        {
            if (oldValue != newValue)
            {
                changes.Add(new SettingChange(displayName, storageName, oldValue, newValue));
            }
        }
    }
}
