using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
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

        /// <summary>Forget an unlocked key ring this long after it was read; TimeSpan.Zero: never (the default).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public TimeSpan? UnlockTimeout { get; set; }

        /// <summary>The Coinbase Advanced Trade base URL (https:// only); empty string: the real one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string? CoinbaseBaseUrl { get; set; }

        /// <summary>
        /// The key file's passphrase: when the settings use the key file (-KeyStore File), unlocks it in this call, or on first
        /// use creates it and the key ring, so a runbook needs no prompt even where a vault is registered.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SecureString? Password { get; set; }

        /// <summary>Also writes the resulting configuration (Get-CtConfig's object).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        internal override void Process(CtSession session)
        {
            var changes = CollectChanges(session.Current);
            // The records are sealed with the key ring of the store the new settings choose, so switching
            // to a store that lacks this database's key ring fails here, before anything is written.
            var provider = Audited(session, session.KeyRingsFor(session.Current.With(changes)));
            var keyFile = provider.Store as EncryptedFileKeyStore;
            if (Password != null && keyFile is null)
            {
                throw new CtException(ErrorIds.PasswordNotApplicable, CtErrorKind.InvalidArgument,
                    $"-Password unlocks the key file, but these settings use the {provider.Store.Kind} store ({provider.Store.Location}). Add -KeyStore File to use the key file.",
                    nameof(Password));
            }
            if (changes.Count == 0 && Password is null)
            {
                WriteVerbose("Every given setting already has that value; nothing to change.");
            }
            else if (ShouldProcess(session.Home.Path, Action(changes, keyFile)))
            {
                var ring = Password != null
                    ? UnlockKeyFile(keyFile!, Password, provider)
                    : RequireKeyRing(provider, provider.Store.CacheKey == session.Store.CacheKey ? UnlockKeyFileCommand : "Set-CtConfig -KeyStore File -Password <SecureString>");
                if (changes.Count > 0)
                {
                    WriteAuditRecords(ConfigChanges.Apply(OpenAuditLog(session, ring), session.Settings, changes));
                    session.Reload();
                    KeyRingCache.SetTimeout(session.Home.Path, session.Current.UnlockTimeout);
                }
            }
            if (PassThru)
            {
                WriteObject(GetCtConfigCommand.Describe(session));
            }
        }

        private string Action(List<SettingChange> changes, EncryptedFileKeyStore? keyFile)
        {
            var parts = new List<string>();
            if (changes.Count > 0)
            {
                parts.Add("Change settings: " + string.Join(", ", changes.Select(c => c.DisplayName)));
            }
            if (Password != null)
            {
                parts.Add(keyFile!.Exists ? "unlock the key file" : "create the key file and a new key ring");
            }
            return string.Join("; ", parts);
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
            if (UnlockTimeout.HasValue)
            {
                if (UnlockTimeout.Value < TimeSpan.Zero)
                {
                    throw new CtException(ErrorIds.InvalidSetting, CtErrorKind.InvalidArgument,
                        "UnlockTimeout must be positive, or TimeSpan.Zero for no timeout; for example (New-TimeSpan -Minutes 15).", nameof(UnlockTimeout));
                }
                var value = UnlockTimeout.Value == TimeSpan.Zero ? null : CtSettings.FormatUnlockTimeout(UnlockTimeout.Value);
                var old = current.UnlockTimeout is TimeSpan timeout ? CtSettings.FormatUnlockTimeout(timeout) : null;
                AddIfDifferent(changes, nameof(UnlockTimeout), SettingNames.UnlockTimeout, old, value);
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
