using System;
using System.Linq;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Security;
using Xunit;

namespace CryptoTrader.Core.Tests.Security
{
    /// <summary>Each check against a real database: a setup that triggers it and one that does not.</summary>
    public class SecurityCheckTests
    {
        [Fact]
        public void KeyStore_EnvironmentIsDevelopmentOnly_OthersAreInfo()
        {
            using var t = new SecurityTestFolder();

            var file = t.Run(new KeyStoreCheck());
            t.Choice = new KeyStoreChoice(KeyStoreKind.Environment, "automatic: CRYPTOTRADER_MASTER_KEY is set (development only)");
            var environment = t.Run(new KeyStoreCheck());

            Assert.Equal(SecuritySeverity.Info, Assert.Single(file).Severity);
            var finding = Assert.Single(environment);
            Assert.Equal(SecuritySeverity.Medium, finding.Severity);
            Assert.Equal(EnvironmentKeyStore.VariableName, finding.Target);
            Assert.Contains("development only", finding.Message);
            Assert.Contains("Set-CtConfig -KeyStore", finding.Remedy);
        }

        [Fact]
        public void AuditIntegrity_IntactChainIsInfo_ChangedRecordIsCritical()
        {
            using var t = new SecurityTestFolder();

            var intact = Assert.Single(t.Run(new AuditIntegrityCheck()));
            t.Trading.Folder.Tamper("UPDATE audit_log SET user_id = 'mallory' WHERE sequence = 1;");
            var tampered = Assert.Single(t.Run(new AuditIntegrityCheck()));

            Assert.Equal(SecuritySeverity.Info, intact.Severity);
            Assert.Contains("verifies", intact.Message);
            Assert.Equal(SecuritySeverity.Critical, tampered.Severity);
            Assert.Contains("record 1", tampered.Message);
        }

        [Fact]
        public void AuditIntegrity_WithoutTheKeyRing_SaysWhyAndDoesNotThrow()
        {
            using var t = new SecurityTestFolder();
            t.LoadKeyRing = SecurityTestFolder.Failing(ErrorIds.KeyStoreLocked, "The key file is locked. Run Unlock-CtKeyStore.");

            var finding = Assert.Single(t.Run(new AuditIntegrityCheck()));

            Assert.Equal(SecuritySeverity.Medium, finding.Severity);
            Assert.Contains("could not be verified", finding.Message);
            Assert.Contains("KeyStoreLocked: The key file is locked", finding.Message);
        }

        [Fact]
        public void AuditIntegrity_EmptyLogWithoutKeyRing_IsInfo()
        {
            using var folder = new Audit.AuditTestFolder();
            var context = new SecurityContext(folder.Home, folder.Database, CryptoTrader.Core.Configuration.CtSettings.Read(new CryptoTrader.Core.Configuration.SettingsStore(folder.Database)),
                new KeyStoreChoice(KeyStoreKind.File, "test"), "nowhere", () => null);

            var finding = Assert.Single(new AuditIntegrityCheck().Run(context));

            Assert.Equal(SecuritySeverity.Info, finding.Severity);
            Assert.Contains("no key ring in nowhere yet", finding.Message);
        }

        [Fact]
        public void ApiKeyAge_OlderThanTheMaximumIsMedium_YoungerIsInfo()
        {
            using var t = new SecurityTestFolder();

            var fresh = Assert.Single(t.Run(new ApiKeyAgeCheck()));
            var later = t.Run(new ApiKeyAgeCheck(), c => c.UtcNow = DateTime.UtcNow.AddDays(91));

            Assert.Equal(SecuritySeverity.Info, fresh.Severity);
            var old = Assert.Single(later);
            Assert.Equal(SecuritySeverity.Medium, old.Severity);
            Assert.Equal("paper/default", old.Target);
            Assert.Contains("91 days old (maximum 90", old.Message);
        }

        [Fact]
        public void TradingGrants_NoExpiryIsHigh_ExpiryIsLow_ReadOnlyIsInfo()
        {
            using var t = new SecurityTestFolder();

            var readOnly = Assert.Single(t.Run(new TradingGrantsCheck()));
            t.Trading.Grant();
            var open = Assert.Single(t.Run(new TradingGrantsCheck()));
            t.Trading.Grant(new GrantLimits { Duration = TimeSpan.FromHours(1) });
            var limited = Assert.Single(t.Run(new TradingGrantsCheck()));

            Assert.Equal(SecuritySeverity.Info, readOnly.Severity);
            Assert.Equal(SecuritySeverity.High, open.Severity);
            Assert.Contains("no expiry", open.Message);
            Assert.Equal(SecuritySeverity.Low, limited.Severity);
            Assert.Contains("enabled until", limited.Message);
        }

        [Fact]
        public void TradingGrants_ChangedGrantIsHigh_AndOneThatSaysItExpiredIsNotReportedWithoutTheKeyRing()
        {
            using var t = new SecurityTestFolder();
            t.Trading.Grant(new GrantLimits { Duration = TimeSpan.FromHours(1) });
            t.Trading.Folder.Tamper("UPDATE grants SET expires_at = NULL;");

            var tampered = Assert.Single(t.Run(new TradingGrantsCheck()));
            t.Trading.Folder.Tamper("UPDATE grants SET expires_at = '2000-01-01T00:00:00Z';");
            t.LoadKeyRing = SecurityTestFolder.Failing(ErrorIds.KeyStoreLocked, "locked");
            var expired = Assert.Single(t.Run(new TradingGrantsCheck()));

            Assert.Equal(SecuritySeverity.High, tampered.Severity);
            Assert.Contains("integrity check", tampered.Message);
            // Expired or not genuine, it is never honoured, so there is nothing to report.
            Assert.Equal(SecuritySeverity.Info, expired.Severity);
            Assert.Contains("Grants not verified: KeyStoreLocked: locked", expired.Message);
        }

        [Fact]
        public void TradingGrants_WithoutTheKeyRing_ReportsStoredGrantsAsNotVerified()
        {
            using var t = new SecurityTestFolder();
            t.Trading.Grant();
            t.LoadKeyRing = SecurityTestFolder.Failing(ErrorIds.KeyStoreUnavailable, "The vault is locked.");

            var finding = Assert.Single(t.Run(new TradingGrantsCheck()));

            Assert.Equal(SecuritySeverity.High, finding.Severity);
            Assert.Contains("not verified: KeyStoreUnavailable: The vault is locked.", finding.Message);
        }

        [Fact]
        public void TradingGrants_WithoutTheKeyRing_AnExpiryThatDoesNotParseCountsAsLive()
        {
            using var t = new SecurityTestFolder();
            t.Trading.Grant(new GrantLimits { Duration = TimeSpan.FromHours(1) });
            t.Trading.Folder.Tamper("UPDATE grants SET expires_at = 'someday';");
            t.LoadKeyRing = SecurityTestFolder.Failing(ErrorIds.KeyStoreLocked, "locked");

            var finding = Assert.Single(t.Run(new TradingGrantsCheck()));

            Assert.Equal(SecuritySeverity.Low, finding.Severity);
            Assert.Contains("enabled until someday (not verified", finding.Message);
        }

        [Fact]
        public void ExchangeKeyScope_TransferIsCritical_TradeWhileReadOnlyIsMedium_TradeWhileGrantedIsFine()
        {
            using var t = new SecurityTestFolder();
            t.StoreWithCapabilities("mover", new KeyCapabilities(canView: true, canTrade: false, canTransfer: true));
            t.StoreWithCapabilities("trader", new KeyCapabilities(canView: true, canTrade: true, canTransfer: false));

            var before = t.Run(new ExchangeKeyScopeCheck());
            t.Trading.Grant(name: "trader");
            var after = t.Run(new ExchangeKeyScopeCheck());

            Assert.Equal(new[] { ("paper/mover", SecuritySeverity.Critical), ("paper/trader", SecuritySeverity.Medium) },
                before.Select(f => (f.Target, f.Severity)).ToArray());
            Assert.Contains("TRANSFER FUNDS", before[0].Message);
            Assert.Equal(("paper/mover", SecuritySeverity.Critical), (Assert.Single(after).Target, after[0].Severity));
        }

        [Fact]
        public void ExchangeKeyScope_KeyWithOnlyWhatItNeeds_IsInfo()
        {
            using var t = new SecurityTestFolder();
            t.StoreWithCapabilities("viewer", new KeyCapabilities(canView: true, canTrade: false, canTransfer: false));

            Assert.Equal(SecuritySeverity.Info, Assert.Single(t.Run(new ExchangeKeyScopeCheck())).Severity);
        }

        [Fact]
        public void MasterKeyVariable_HighWhenNonInteractive_MediumAtAConsole_InfoWhenUnset()
        {
            using var t = new SecurityTestFolder();

            var unset = Assert.Single(t.Run(new MasterKeyVariableCheck()));
            var runbook = Assert.Single(t.Run(new MasterKeyVariableCheck(), c => c.MasterKeyVariableSet = true));
            var console = Assert.Single(t.Run(new MasterKeyVariableCheck(), c => { c.MasterKeyVariableSet = true; c.Interactive = true; }));

            Assert.Equal(SecuritySeverity.Info, unset.Severity);
            Assert.Equal(SecuritySeverity.High, runbook.Severity);
            Assert.Contains("non-interactive", runbook.Message);
            Assert.Equal(SecuritySeverity.Medium, console.Severity);
        }
    }
}
