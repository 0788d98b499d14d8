using System;
using System.Linq;
using System.Management.Automation;
using CryptoTrader.Core.Security;
using PowerShellApi = System.Management.Automation.PowerShell;

namespace CryptoTrader.PowerShell.KeyStores
{
    /// <summary>
    /// Finds out how the key ring's vault locks. SecretManagement says which module implements the vault
    /// (Get-SecretVault); only Microsoft.PowerShell.SecretStore tells its lock settings (Get-SecretStoreConfiguration).
    /// </summary>
    internal static class VaultLockInspector
    {
        public static VaultLockState Inspect(string vaultName)
        {
            var vaults = SecretManagementKeyStore.Invoke("Get-SecretVault", ps => ps.AddParameter("Name", vaultName), out var errors);
            var info = vaults.FirstOrDefault(v => v != null);
            if (info is null)
            {
                return new VaultLockState(vaultName, null) { Problem = errors.Count > 0 ? errors[0].Exception?.Message : null };
            }
            var state = new VaultLockState(vaultName, info.Properties["ModuleName"]?.Value as string);
            if (state.IsSecretStore)
            {
                ReadSecretStoreConfiguration(state, info.Properties["ModulePath"]?.Value as string);
            }
            return state;
        }

        // In a runspace of its own, without a host: if the store is locked, Get-SecretStoreConfiguration would prompt
        // for its password at a console; without a host it fails instead, and the report says the store is locked.
        private static void ReadSecretStoreConfiguration(VaultLockState state, string? modulePath)
        {
            try
            {
                using var ps = PowerShellApi.Create();
                ps.AddCommand("Microsoft.PowerShell.Core\\Import-Module").AddParameter("Name", string.IsNullOrEmpty(modulePath) ? VaultLockState.SecretStoreModule : modulePath)
                    .AddParameter("ErrorAction", "Stop");
                ps.AddStatement().AddCommand(VaultLockState.SecretStoreModule + "\\Get-SecretStoreConfiguration");
                var result = ps.Invoke();
                if (ps.Streams.Error.Count > 0)
                {
                    state.Problem = ps.Streams.Error[0].Exception?.Message;
                    return;
                }
                var configuration = result.FirstOrDefault(r => r != null);
                if (configuration is null)
                {
                    state.Problem = "Get-SecretStoreConfiguration returned nothing";
                    return;
                }
                state.Authentication = configuration.Properties["Authentication"]?.Value?.ToString();
                state.PasswordTimeoutSeconds = configuration.Properties["PasswordTimeout"]?.Value is { } timeout
                    ? Convert.ToInt32(timeout, System.Globalization.CultureInfo.InvariantCulture)
                    : (int?)null;
            }
            catch (Exception e) when (e is RuntimeException || e is InvalidOperationException || e is FormatException || e is InvalidCastException)
            {
                state.Problem = e.Message;
            }
        }
    }
}
