using System.Collections.Generic;
using System.IO;
using System.Linq;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Security;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Security
{
    /// <summary>Selecting checks, running them, -FailOn, and reading file modes before the database opens.</summary>
    public class SecurityChecksTests
    {
        private static SecurityFinding Finding(SecuritySeverity severity, string check = "KeyStore", string target = "t") =>
            new SecurityFinding(severity, check, target, "message", "remedy");

        [Fact]
        public void Select_IsCaseInsensitive_KeepsReportOrder_AndNamesTheValidChecksForAnUnknownOne()
        {
            Assert.Equal(SecurityChecks.All, SecurityChecks.Select(null));
            Assert.Equal(new[] { "KeyStore", "ApiKeyAge" }, SecurityChecks.Select(new[] { "apikeyage", "KEYSTORE" }).Select(c => c.Name));

            var e = Assert.Throws<CtException>(() => SecurityChecks.Select(new[] { "KeyStore", "Nope" }));

            Assert.Equal(ErrorIds.UnknownSecurityCheck, e.ErrorId);
            Assert.Equal(CtErrorKind.InvalidArgument, e.Kind);
            Assert.Equal("Nope", e.Target);
            Assert.Contains(string.Join(", ", SecurityChecks.Names), e.Message);
        }

        [Fact]
        public void FailureFor_CountsTheFindingsAtOrAboveTheThreshold()
        {
            var findings = new List<SecurityFinding>
            {
                Finding(SecuritySeverity.Info), Finding(SecuritySeverity.High, "TradingGrants", "paper/a"),
                Finding(SecuritySeverity.Critical, "ExchangeKeyScope", "coinbase/b"), Finding(SecuritySeverity.Medium),
            };

            var e = SecurityChecks.FailureFor(findings, SecuritySeverity.High)!;

            Assert.Equal(ErrorIds.SecurityCheckFailed, e.ErrorId);
            Assert.Equal(CtErrorKind.SecurityError, e.Kind);
            Assert.Contains("found 2 security findings at or above High (1 Critical, 1 High): Critical ExchangeKeyScope coinbase/b; High TradingGrants paper/a.", e.Message);
            Assert.Contains("Test-CtSecurity -FailOn High again", e.Message);
            Assert.Equal(2, ((SecurityFinding[])e.Target!).Length);
            Assert.Contains("found 1 security finding at or above Critical (1 Critical)", SecurityChecks.FailureFor(findings, SecuritySeverity.Critical)!.Message);
            Assert.Null(SecurityChecks.FailureFor(findings.Where(f => f.Severity < SecuritySeverity.High).ToList(), SecuritySeverity.High));
        }

        [Fact]
        public void Run_TurnsACheckThatFailsIntoAFinding_AndGoesOn()
        {
            using var t = new SecurityTestFolder();

            var findings = SecurityChecks.Run(t.Context(), new ISecurityCheck[] { new FailingCheck(), new KeyStoreCheck() }).ToList();

            Assert.Equal(new[] { "Failing", "KeyStore" }, findings.Select(f => f.Check));
            Assert.Equal(SecuritySeverity.Medium, findings[0].Severity);
            Assert.Contains("could not be completed: KeyStoreUnavailable: the vault did not answer", findings[0].Message);
            Assert.Equal("vault X", findings[0].Target);
        }

        [Fact]
        public void Context_ReadsTheKeyRingOnce_OnlyWhenAsked()
        {
            using var t = new SecurityTestFolder();
            var loads = 0;
            t.LoadKeyRing = () => { loads++; return t.Trading.Ring; };
            var context = t.Context();

            new KeyStoreCheck().Run(context).ToList();
            Assert.Equal(0, loads);
            new AuditIntegrityCheck().Run(context).ToList();
            new TradingGrantsCheck().Run(context).ToList();
            Assert.Equal(1, loads);
        }

        [UnixFact]
        public void FilePermissions_ReportsGroupOrOtherAccess_AndTheKeyFileAsCritical()
        {
            using var t = new SecurityTestFolder();
            var home = t.Trading.Folder.Home;
            File.WriteAllText(home.KeyFilePath, "{}");
            Platform.SetMode(home.KeyFilePath, Platform.Octal("0600"));

            var clean = t.Run(new FilePermissionsCheck(), c => c.Paths = PathAccess.Inspect(home));
            Platform.SetMode(home.Path, Platform.Octal("0750"));
            Platform.SetMode(home.DatabasePath, Platform.Octal("0604"));
            Platform.SetMode(home.KeyFilePath, Platform.Octal("0640"));
            var exposed = t.Run(new FilePermissionsCheck(), c => c.Paths = PathAccess.Inspect(home));

            Assert.Equal(SecuritySeverity.Info, Assert.Single(clean).Severity);
            Assert.Equal(new[] { (home.Path, SecuritySeverity.High), (home.DatabasePath, SecuritySeverity.High), (home.KeyFilePath, SecuritySeverity.Critical) },
                exposed.Select(f => (f.Target, f.Severity)).ToArray());
            Assert.Contains("mode 0750, expected 0700", exposed[0].Message);
            Assert.Contains($"chmod 600 '{home.KeyFilePath}'", exposed[2].Remedy);
        }

        [UnixFact]
        public void PathAccess_ReadsModesWithoutChangingThem_AndNotesMissingFiles()
        {
            using var t = new SecurityTestFolder();
            var home = t.Trading.Folder.Home;
            Platform.SetMode(home.DatabasePath, Platform.Octal("0644"));

            var paths = PathAccess.Inspect(home);

            var database = paths.Single(p => p.Role == "database");
            Assert.True(database.OthersHaveAccess);
            Assert.Equal("0644", database.Mode);
            Assert.False(paths.Single(p => p.Role == "key file").Exists);
            Assert.Equal(Platform.Octal("0644"), Platform.ModeOf(home.DatabasePath));
        }

        [UnixFact]
        public void FilePermissions_CallsALinkWhereAFileShouldBeHigh_WithoutReadingItsTargetsMode()
        {
            using var t = new SecurityTestFolder();
            var home = t.Trading.Folder.Home;
            string victim = home.Path + "-victim";
            File.WriteAllText(victim, "a file of the user's own");
            Platform.SetMode(victim, Platform.Octal("0644"));
            File.Delete(home.AuditHeadPath);
            Platform.Symlink(victim, home.AuditHeadPath);

            try
            {
                var paths = PathAccess.Inspect(home);
                var findings = t.Run(new FilePermissionsCheck(), c => c.Paths = paths);

                Assert.True(PathAccess.AnyRefused(paths));
                var finding = Assert.Single(findings);
                Assert.Equal((SecuritySeverity.High, home.AuditHeadPath), (finding.Severity, finding.Target));
                Assert.Contains($"The audit head file is a symbolic link to '{victim}'", finding.Message);
                Assert.Contains("DataFolderInsecure", finding.Message);
                Assert.Contains("Remove the link", finding.Remedy);
            }
            finally
            {
                File.Delete(victim);
            }
        }

        [RootFact]
        public void FilePermissions_CallsAFolderOrFileOfAnotherUserHigh_EvenWhenItsModeIsPrivate()
        {
            using var t = new SecurityTestFolder();
            var home = t.Trading.Folder.Home;
            Platform.SetOwner(home.DatabasePath, Platform.Nobody);
            Platform.SetOwner(home.Path, Platform.Nobody);

            var paths = PathAccess.Inspect(home);
            var findings = t.Run(new FilePermissionsCheck(), c => c.Paths = paths);

            Assert.True(PathAccess.AnyRefused(paths));
            Assert.Equal(new[] { (home.Path, SecuritySeverity.High), (home.DatabasePath, SecuritySeverity.High) },
                findings.Select(f => (f.Target, f.Severity)).ToArray());
            Assert.Contains($"The data folder belongs to uid {Platform.Nobody}, not to uid 0", findings[0].Message);
            Assert.Contains("CRYPTOTRADER_HOME", findings[0].Remedy);
            Assert.Contains($"The database belongs to uid {Platform.Nobody}", findings[1].Message);
            Assert.Contains("chown", findings[1].Remedy);
            Platform.SetOwner(home.Path, 0);
            Platform.SetOwner(home.DatabasePath, 0);
            Assert.False(PathAccess.AnyRefused(PathAccess.Inspect(home)));
        }

        [Fact]
        public void KeyRingProvider_Find_NeitherCreatesNorPinsAKeyRing()
        {
            using var folder = new Audit.AuditTestFolder();
            var settings = new CryptoTrader.Core.Configuration.SettingsStore(folder.Database);
            var slot = new KeyStores.SharedSlot();
            var provider = new KeyRingProvider(folder.Home, settings, new KeyStores.MemoryKeyStore(slot));

            Assert.Null(provider.Find());
            Assert.Null(slot.Ring);
            Assert.Null(settings.Get(CryptoTrader.Core.Configuration.SettingNames.KeyRingStore));
            slot.Ring = folder.Ring;
            Assert.Same(folder.Ring, provider.Find());
            Assert.Null(settings.Get(CryptoTrader.Core.Configuration.SettingNames.KeyRingStore));
        }

        private sealed class FailingCheck : ISecurityCheck
        {
            public string Name => "Failing";

            public IEnumerable<SecurityFinding> Run(SecurityContext context) =>
                throw new CtException(ErrorIds.KeyStoreUnavailable, CtErrorKind.ResourceUnavailable, "the vault did not answer", "vault X");
        }
    }
}
