using System;
using System.IO;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Storage
{
    [Collection(EnvironmentCollection.Name)]
    public sealed class DataHomeResolveTests
    {
        [Fact]
        public void Resolve_UsesCryptoTraderHome_WhenSet()
        {
            using var folder = new TempFolder();
            using var environment = new EnvironmentScope()
                .Set(DataHome.EnvironmentVariable, folder.Combine("data"))
                .Set("HOME", folder.Combine("home"));

            DataHome home = DataHome.Resolve();

            Assert.Equal(folder.Combine("data"), home.Path);
            Assert.Equal(DataHome.EnvironmentVariable, home.Source);
            Assert.Equal(folder.Combine("data", "cryptotrader.db"), home.DatabasePath);
            Assert.Equal(folder.Combine("data", "keyring.key"), home.KeyFilePath);
        }

        [Fact]
        public void Resolve_MakesARelativeCryptoTraderHomeAbsolute()
        {
            using var environment = new EnvironmentScope().Set(DataHome.EnvironmentVariable, "relative-ct-home");

            DataHome home = DataHome.Resolve();

            Assert.True(Path.IsPathRooted(home.Path), home.Path);
            Assert.Equal(Path.GetFullPath("relative-ct-home"), home.Path);
        }

        [UnixTheory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        public void Resolve_FallsBackToDotCryptoTraderInHome_WhenTheVariableIsUnsetOrBlank(string? value)
        {
            using var folder = new TempFolder();
            using var environment = new EnvironmentScope()
                .Set(DataHome.EnvironmentVariable, value)
                .Set("HOME", folder.Path);

            DataHome home = DataHome.Resolve();

            Assert.Equal(Path.Combine(folder.Path, ".cryptotrader"), home.Path);
            Assert.Equal("per-user default", home.Source);
        }

        [WindowsFact("the per-user default there is under %LOCALAPPDATA%.")]
        public void Resolve_FallsBackToLocalAppDataCryptoTrader_OnWindows()
        {
            using var environment = new EnvironmentScope().Set(DataHome.EnvironmentVariable, null);

            DataHome home = DataHome.Resolve();

            Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "CryptoTrader"), home.Path);
            Assert.Equal("per-user default", home.Source);
        }

        [Fact]
        public void Resolve_DoesNotCreateTheFolder()
        {
            using var folder = new TempFolder();
            using var environment = new EnvironmentScope().Set(DataHome.EnvironmentVariable, folder.Combine("not-yet"));

            DataHome.Resolve();

            Assert.False(Directory.Exists(folder.Combine("not-yet")));
        }
    }

    public sealed class DataHomeFolderTests
    {
        private static readonly int OwnerOnly = Platform.Octal("0700");

        [UnixFact]
        public void EnsureCreated_CreatesMissingNestedFolder_WithMode0700()
        {
            using var folder = new TempFolder();
            string path = folder.Combine("a", "b", "home");

            DataHome home = DataHome.At(path).EnsureCreated();

            Assert.True(Directory.Exists(path));
            Assert.Equal(path, home.Path);
            Assert.Equal(OwnerOnly, Platform.ModeOf(path));
        }

        [UnixTheory]
        [InlineData("0755")]
        [InlineData("0777")]
        [InlineData("0710")]
        public void EnsureCreated_TightensAnExistingFolder(string mode)
        {
            using var folder = new TempFolder();
            string path = folder.Combine("home");
            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, "keep.txt"), "existing content");
            Platform.SetMode(path, Platform.Octal(mode));

            DataHome.At(path).EnsureCreated();

            Assert.Equal(OwnerOnly, Platform.ModeOf(path));
            Assert.Equal("existing content", File.ReadAllText(Path.Combine(path, "keep.txt")));
        }

        [Fact]
        public void EnsureCreated_UnderARegularFile_GivesDataFolderUnavailable()
        {
            using var folder = new TempFolder();
            string blocker = folder.Combine("file");
            File.WriteAllText(blocker, "not a folder");

            CtException error = Assert.Throws<CtException>(() => DataHome.At(Path.Combine(blocker, "home")).EnsureCreated());

            Assert.Equal(ErrorIds.DataFolderUnavailable, error.ErrorId);
            Assert.Equal(CtErrorKind.ResourceUnavailable, error.Kind);
            Assert.Contains(DataHome.EnvironmentVariable, error.Message);
            Assert.Equal("not a folder", File.ReadAllText(blocker));
        }

        [RootFact]
        public void EnsureCreated_RefusesAFolderOfAnotherUser_BeforeChangingAnything()
        {
            using var folder = new TempFolder();
            string path = folder.Combine("theirs");
            Directory.CreateDirectory(path);
            Platform.SetMode(path, Platform.Octal("0755"));
            Platform.SetOwner(path, Platform.Nobody);

            CtException error = Assert.Throws<CtException>(() => DataHome.At(path).EnsureCreated());

            Assert.Equal(ErrorIds.DataFolderInsecure, error.ErrorId);
            Assert.Equal(CtErrorKind.SecurityError, error.Kind);
            Assert.Equal(path, error.Target);
            Assert.Contains($"'{path}': it belongs to uid {Platform.Nobody}, not to uid 0", error.Message);
            Assert.Contains($"chown -R \"$(id -u):$(id -g)\" '{path}'", error.Message);
            Assert.Contains(DataHome.EnvironmentVariable, error.Message);
            Assert.Equal(Platform.Octal("0755"), Platform.ModeOf(path));
            Assert.Equal(Platform.Nobody, Platform.OwnerOf(path));
            Assert.Empty(Directory.GetFileSystemEntries(path));
        }

        [UnixTheory]
        [InlineData("cryptotrader.db")]
        [InlineData("cryptotrader.db-wal")]
        [InlineData("cryptotrader.db-shm")]
        [InlineData("audit.head")]
        [InlineData("keyring.key")]
        [InlineData("keyring.lock")]
        public void EnsureCreated_RefusesALinkWhereAModuleFileShouldBe_AndLeavesItsTargetAlone(string name)
        {
            using var folder = new TempFolder();
            string path = folder.Combine("home");
            Directory.CreateDirectory(path);
            string victim = folder.Combine("victim");
            File.WriteAllText(victim, "a file of the user's own");
            Platform.SetMode(victim, Platform.Octal("0644"));
            Platform.Symlink(victim, Path.Combine(path, name));

            CtException error = Assert.Throws<CtException>(() => DataHome.At(path).EnsureCreated());

            Assert.Equal(ErrorIds.DataFolderInsecure, error.ErrorId);
            Assert.Contains($"'{Path.Combine(path, name)}' is a symbolic link to '{victim}'", error.Message);
            Assert.Equal(Platform.Octal("0644"), Platform.ModeOf(victim));
            Assert.Equal("a file of the user's own", File.ReadAllText(victim));
        }

        [RootFact]
        public void EnsureCreated_RefusesAModuleFileOfAnotherUser()
        {
            using var folder = new TempFolder();
            string path = folder.Combine("home");
            DataHome home = DataHome.At(path).EnsureCreated();
            File.WriteAllText(home.AuditHeadPath, "planted");
            Platform.SetOwner(home.AuditHeadPath, Platform.Nobody);

            CtException error = Assert.Throws<CtException>(() => home.EnsureCreated());

            Assert.Equal(ErrorIds.DataFolderInsecure, error.ErrorId);
            Assert.Equal(home.AuditHeadPath, error.Target);
            Assert.Contains($"belongs to uid {Platform.Nobody}", error.Message);
        }

        [UnixFact]
        public void EnsureCreated_MakesTheModuleFiles0600_ButLeavesTheKeyFilesModeToItsReader()
        {
            using var folder = new TempFolder();
            DataHome home = DataHome.At(folder.Combine("home")).EnsureCreated();
            foreach (string file in home.Files)
            {
                File.WriteAllText(file, "content");
                Platform.SetMode(file, Platform.Octal("0644"));
            }

            home.EnsureCreated();

            foreach (string file in home.Files)
            {
                Assert.Equal(Platform.Octal(file == home.KeyFilePath ? "0644" : "0600"), Platform.ModeOf(file));
            }
        }

        [UnixFact]
        public void EnsureCreated_FollowsALinkToTheFolderItself_WhichMustBeTheUsersOwn()
        {
            using var folder = new TempFolder();
            string real = folder.Combine("real");
            Directory.CreateDirectory(real);
            Platform.SetMode(real, Platform.Octal("0755"));
            string link = folder.Combine("linked");
            Platform.Symlink(real, link);

            DataHome.At(link).EnsureCreated();

            Assert.Equal(Platform.Octal("0700"), Platform.ModeOf(real));
        }

        [Fact]
        public void At_ReportsAnExplicitPathAsTheSource()
        {
            DataHome home = DataHome.At("some-folder");

            Assert.Equal(Path.GetFullPath("some-folder"), home.Path);
            Assert.Equal("explicit path", home.Source);
        }
    }
}
