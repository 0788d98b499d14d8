using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using PowerShellApi = System.Management.Automation.PowerShell;

namespace CryptoTrader.PowerShell.KeyStores
{
    /// <summary>
    /// The key ring as one string secret in a SecretManagement vault. Every call is module-qualified,
    /// so a look-alike Get-Secret from another module is never used. Runs in the calling runspace,
    /// on the pipeline thread of the cmdlet that needs the key ring.
    /// </summary>
    internal sealed class SecretManagementKeyStore : IKeyStore
    {
        public const string ModuleName = "Microsoft.PowerShell.SecretManagement";
        private readonly string? vault;
        private readonly string secretName;

        public SecretManagementKeyStore(string? vault, string secretName)
        {
            this.vault = vault;
            this.secretName = secretName;
        }

        public KeyStoreKind Kind => KeyStoreKind.SecretManagement;

        /// <summary>The vault named in every call; null only when no vault is registered.</summary>
        internal string? Vault => vault;

        public string Location => $"SecretManagement vault '{vault ?? "(default)"}', secret '{secretName}'";

        public string CacheKey => "secretmanagement:" + (vault ?? string.Empty) + ":" + secretName;

        public KeyRing? Load()
        {
            var result = Invoke("Get-Secret", ps =>
            {
                ps.AddParameter("Name", secretName).AddParameter("AsPlainText");
                AddVault(ps);
            }, out var errors);
            // A vault that fails (locked, say) also yields a "not found": only a plain "not found" means no key ring.
            var failures = errors.Where(e => e.FullyQualifiedErrorId.IndexOf("GetSecretNotFound", StringComparison.OrdinalIgnoreCase) < 0).ToList();
            if (failures.Count == 0 && errors.Count > 0)
            {
                return null;
            }
            ThrowIfFailed(new Collection<ErrorRecord>(failures), "read");
            var json = result.Select(r => r?.BaseObject).OfType<string>().FirstOrDefault();
            if (json is null)
            {
                throw new CtException(ErrorIds.KeyRingInvalid, CtErrorKind.InvalidData,
                    $"The secret '{secretName}' in the SecretManagement vault is not a CryptoTrader key ring (not a string).", secretName);
            }
            try
            {
                return KeyRing.Deserialize(json);
            }
            catch (InvalidKeyRingException e)
            {
                throw new CtException(ErrorIds.KeyRingInvalid, CtErrorKind.InvalidData,
                    $"The secret '{secretName}' in the SecretManagement vault is not a valid key ring ({e.Message}).", secretName, e);
            }
        }

        public void Save(KeyRing ring)
        {
            Invoke("Set-Secret", ps =>
            {
                ps.AddParameter("Name", secretName).AddParameter("Secret", ring.Serialize());
                AddVault(ps);
            }, out var errors);
            ThrowIfFailed(errors, "write");
        }

        public bool Delete()
        {
            if (Load() is null)
            {
                return false;
            }
            Invoke("Remove-Secret", ps =>
            {
                ps.AddParameter("Name", secretName);
                AddVault(ps);
            }, out var errors);
            ThrowIfFailed(errors, "remove");
            return true;
        }

        /// <summary>The vault to use when none is configured: the default vault, else the first registered; null when none or no module.</summary>
        public static string? FindRegisteredVault(string? configuredVault)
        {
            var vaults = RegisteredVaults();
            if (configuredVault != null)
            {
                return vaults.Any(v => string.Equals(v.Name, configuredVault, StringComparison.OrdinalIgnoreCase)) ? configuredVault : null;
            }
            return vaults.FirstOrDefault(v => v.IsDefault).Name ?? vaults.FirstOrDefault().Name;
        }

        /// <summary>The vaults Get-SecretVault lists; none when SecretManagement is not installed or fails.</summary>
        public static IReadOnlyList<(string Name, bool IsDefault)> RegisteredVaults()
        {
            using var available = PowerShellApi.Create(RunspaceMode.CurrentRunspace);
            available.AddCommand("Microsoft.PowerShell.Core\\Get-Module").AddParameter("ListAvailable").AddParameter("Name", ModuleName);
            if (available.Invoke().Count == 0)
            {
                return Array.Empty<(string, bool)>();
            }
            var vaults = Invoke("Get-SecretVault", _ => { }, out var errors);
            if (errors.Count > 0)
            {
                return Array.Empty<(string, bool)>();
            }
            return vaults.Where(v => v != null)
                .Select(v => (Name: v.Properties["Name"]?.Value as string ?? string.Empty, IsDefault: v.Properties["IsDefault"]?.Value is true))
                .Where(v => v.Name.Length > 0)
                .ToList();
        }

        private void AddVault(PowerShellApi ps)
        {
            if (vault != null)
            {
                ps.AddParameter("Vault", vault);
            }
        }

        internal static Collection<PSObject> Invoke(string command, Action<PowerShellApi> addParameters, out Collection<ErrorRecord> errors)
        {
            using var ps = PowerShellApi.Create(RunspaceMode.CurrentRunspace);
            ps.AddCommand(ModuleName + "\\" + command);
            addParameters(ps);
            try
            {
                var output = ps.Invoke();
                errors = ps.Streams.Error.ReadAll();
                return output;
            }
            catch (CommandNotFoundException e)
            {
                throw new CtException(ErrorIds.KeyStoreUnavailable, CtErrorKind.ResourceUnavailable,
                    $"The key store is a SecretManagement vault but {ModuleName} cannot be loaded ({e.Message}). Install it (Install-PSResource {ModuleName}) or choose another store with Set-CtConfig -KeyStore.",
                    ModuleName, e);
            }
            catch (RuntimeException e)
            {
                errors = new Collection<ErrorRecord> { e.ErrorRecord };
                return new Collection<PSObject>();
            }
        }

        private static string Describe(Exception? exception) =>
            exception?.InnerException is null ? exception?.Message ?? "unknown error" : exception.Message + " " + exception.InnerException.Message;

        private void ThrowIfFailed(Collection<ErrorRecord> errors, string action)
        {
            if (errors.Count == 0)
            {
                return;
            }
            // Only the message travels on: the failed call's ErrorRecord holds its bound parameters, the key ring among them.
            var first = errors[0];
            var vaultName = vault ?? "(default)";
            throw new CtException(ErrorIds.KeyStoreUnavailable, CtErrorKind.ResourceUnavailable,
                $"The SecretManagement vault '{vaultName}' could not {action} the key ring secret '{secretName}': {Describe(first.Exception)} " +
                $"If the vault is locked, unlock it first (Unlock-SecretVault -Name {vaultName}); check it with Test-SecretVault.",
                vaultName);
        }
    }
}
