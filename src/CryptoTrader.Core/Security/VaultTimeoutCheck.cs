using System.Collections.Generic;
using System.Globalization;
using CryptoTrader.Core.KeyStores;

namespace CryptoTrader.Core.Security
{
    /// <summary>
    /// The SecretManagement vault that holds the key ring locks itself again. Only Microsoft.PowerShell.SecretStore
    /// reports how (Authentication, PasswordTimeout); for other vault modules the report says it cannot tell.
    /// </summary>
    public sealed class VaultTimeoutCheck : ISecurityCheck
    {
        public const string CheckName = "VaultTimeout";

        /// <summary>A SecretStore that stays unlocked longer than this after an unlock is worth a look.</summary>
        public const int LongTimeoutSeconds = 3600;

        public string Name => CheckName;

        public IEnumerable<SecurityFinding> Run(SecurityContext context)
        {
            var vault = context.Vault;
            if (context.KeyStore.Kind != KeyStoreKind.SecretManagement || vault is null)
            {
                yield return new SecurityFinding(SecuritySeverity.Info, Name, context.KeyStoreLocation,
                    $"The key ring is not kept in a SecretManagement vault (the {context.KeyStore.Kind} store is in use): nothing to check.", string.Empty);
                yield break;
            }
            var target = "vault " + vault.VaultName;
            if (vault.ModuleName is null)
            {
                yield return new SecurityFinding(SecuritySeverity.Medium, Name, target,
                    $"The vault '{vault.VaultName}' that should hold the key ring is not registered{Because(vault)}.",
                    "Register it (Register-SecretVault) or point CryptoTrader at the vault that holds the key ring: Set-CtConfig -Vault <name>.");
                yield break;
            }
            if (!vault.IsSecretStore)
            {
                yield return new SecurityFinding(SecuritySeverity.Info, Name, target,
                    $"The vault '{vault.VaultName}' uses the module {vault.ModuleName}, which does not report whether or when it locks again.",
                    "Check in that vault's documentation that it locks after a timeout, so an unattended session does not keep the key ring readable.");
                yield break;
            }
            if (vault.Problem != null)
            {
                yield return new SecurityFinding(SecuritySeverity.Info, Name, target,
                    $"The SecretStore configuration of vault '{vault.VaultName}' could not be read without unlocking it: {vault.Problem}",
                    "Run Get-SecretStoreConfiguration after Unlock-SecretStore to see its Authentication and PasswordTimeout, or run Test-CtSecurity in a session where the store is unlocked.");
                yield break;
            }
            if (string.Equals(vault.Authentication, "None", System.StringComparison.OrdinalIgnoreCase))
            {
                yield return new SecurityFinding(SecuritySeverity.High, Name, target,
                    $"The SecretStore behind vault '{vault.VaultName}' needs no password (Authentication None): it is never locked, so any process running as you can read the key ring.",
                    "Set-SecretStoreConfiguration -Authentication Password -PasswordTimeout 900 (runbooks unlock it with Unlock-SecretStore -Password).");
                yield break;
            }
            var timeout = vault.PasswordTimeoutSeconds;
            if (timeout is null || timeout < 0)
            {
                yield return new SecurityFinding(SecuritySeverity.High, Name, target,
                    $"The SecretStore behind vault '{vault.VaultName}' has no password timeout (PasswordTimeout {Seconds(timeout)}): once unlocked it stays unlocked until the process ends.",
                    "Set-SecretStoreConfiguration -PasswordTimeout 900 (seconds), or a time that covers your longest runbook.");
                yield break;
            }
            if (timeout > LongTimeoutSeconds)
            {
                yield return new SecurityFinding(SecuritySeverity.Low, Name, target,
                    $"The SecretStore behind vault '{vault.VaultName}' stays unlocked for {Seconds(timeout)} seconds after an unlock (more than {LongTimeoutSeconds}).",
                    "Shorten it if no runbook needs that long: Set-SecretStoreConfiguration -PasswordTimeout 900.");
                yield break;
            }
            yield return new SecurityFinding(SecuritySeverity.Info, Name, target,
                $"The SecretStore behind vault '{vault.VaultName}' needs a password and locks again {Seconds(timeout)} seconds after an unlock.", string.Empty);
        }

        private static string Because(VaultLockState vault) => vault.Problem is null ? string.Empty : " (" + vault.Problem + ")";

        private static string Seconds(int? value) => value.HasValue ? value.Value.ToString(CultureInfo.InvariantCulture) : "unknown";
    }
}
