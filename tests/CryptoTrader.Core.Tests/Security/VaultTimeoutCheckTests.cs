using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Security;
using Xunit;

namespace CryptoTrader.Core.Tests.Security
{
    /// <summary>The vault lock rules: pure logic over what the PowerShell layer read from SecretManagement and SecretStore.</summary>
    public class VaultTimeoutCheckTests
    {
        private static SecurityFinding Run(VaultLockState? vault, KeyStoreKind kind = KeyStoreKind.SecretManagement)
        {
            using var t = new SecurityTestFolder { Choice = new KeyStoreChoice(kind, "test") };
            return Assert.Single(t.Run(new VaultTimeoutCheck(), c => c.Vault = vault));
        }

        private static VaultLockState SecretStore(string authentication, int timeout) =>
            new VaultLockState("Store", VaultLockState.SecretStoreModule) { Authentication = authentication, PasswordTimeoutSeconds = timeout };

        [Fact]
        public void NoTimeout_IsHigh()
        {
            var finding = Run(SecretStore("Password", -1));
            Assert.Equal(SecuritySeverity.High, finding.Severity);
            Assert.Equal("vault Store", finding.Target);
            Assert.Contains("no password timeout (PasswordTimeout -1)", finding.Message);
        }

        [Fact]
        public void NoPassword_IsHigh()
        {
            var finding = Run(SecretStore("None", 900));
            Assert.Equal(SecuritySeverity.High, finding.Severity);
            Assert.Contains("Authentication None", finding.Message);
        }

        [Fact]
        public void LongTimeout_IsLow_ShortOneIsInfo()
        {
            Assert.Equal(SecuritySeverity.Low, Run(SecretStore("Password", VaultTimeoutCheck.LongTimeoutSeconds + 1)).Severity);
            var fine = Run(SecretStore("Password", 900));
            Assert.Equal(SecuritySeverity.Info, fine.Severity);
            Assert.Contains("locks again 900 seconds", fine.Message);
        }

        [Fact]
        public void LockedStore_IsInfoWithTheReason()
        {
            var finding = Run(new VaultLockState("Store", "microsoft.powershell.secretstore") { Problem = "A valid password is required." });
            Assert.Equal(SecuritySeverity.Info, finding.Severity);
            Assert.Contains("could not be read without unlocking it: A valid password is required.", finding.Message);
        }

        [Fact]
        public void OtherVaultModule_CannotTell()
        {
            var finding = Run(new VaultLockState("Keys", "SecretManagement.KeePass"));
            Assert.Equal(SecuritySeverity.Info, finding.Severity);
            Assert.Contains("SecretManagement.KeePass, which does not report", finding.Message);
        }

        [Fact]
        public void UnregisteredVault_IsMedium()
        {
            var finding = Run(new VaultLockState("Gone", null) { Problem = "Vault Gone does not exist in registry." });
            Assert.Equal(SecuritySeverity.Medium, finding.Severity);
            Assert.Contains("not registered (Vault Gone does not exist in registry.)", finding.Message);
        }

        [Fact]
        public void OtherKeyStore_HasNothingToCheck()
        {
            var finding = Run(SecretStore("None", -1), KeyStoreKind.File);
            Assert.Equal(SecuritySeverity.Info, finding.Severity);
            Assert.Contains("not kept in a SecretManagement vault", finding.Message);
        }
    }
}
