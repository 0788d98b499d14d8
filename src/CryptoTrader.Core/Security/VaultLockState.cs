namespace CryptoTrader.Core.Security
{
    /// <summary>
    /// How the SecretManagement vault that holds the key ring locks, as far as its module tells. SecretManagement
    /// itself has no notion of locking; Microsoft.PowerShell.SecretStore reports it with Get-SecretStoreConfiguration.
    /// </summary>
    public sealed class VaultLockState
    {
        public const string SecretStoreModule = "Microsoft.PowerShell.SecretStore";

        public VaultLockState(string vaultName, string? moduleName)
        {
            VaultName = vaultName;
            ModuleName = moduleName;
        }

        public string VaultName { get; }

        /// <summary>The vault's extension module; null when the vault is not registered.</summary>
        public string? ModuleName { get; }

        /// <summary>SecretStore's Authentication: "Password" or "None"; null when not known.</summary>
        public string? Authentication { get; set; }

        /// <summary>SecretStore's PasswordTimeout in seconds (-1: never locks again once unlocked); null when not known.</summary>
        public int? PasswordTimeoutSeconds { get; set; }

        /// <summary>Why the configuration could not be read (for example: the store is locked now).</summary>
        public string? Problem { get; set; }

        public bool IsSecretStore => string.Equals(ModuleName, SecretStoreModule, System.StringComparison.OrdinalIgnoreCase);
    }
}
