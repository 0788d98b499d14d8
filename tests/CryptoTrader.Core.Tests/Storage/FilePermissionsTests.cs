using System;
using System.IO;
using System.Security.AccessControl;
using System.Security.Principal;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Storage
{
    public sealed class FilePermissionsTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        [UnixTheory]
        [InlineData("0644")]
        [InlineData("0666")]
        [InlineData("0700")]
        [InlineData("0400")]
        public void RestrictFileToOwner_Gives0600(string before)
        {
            string path = NewFile(before);

            FilePermissions.RestrictFileToOwner(path);

            Assert.Equal(Platform.Octal("0600"), Platform.ModeOf(path));
            Assert.Equal("content", File.ReadAllText(path));
        }

        [UnixFact]
        public void RestrictDirectoryToOwner_Gives0700()
        {
            string path = folder.Combine("dir");
            Directory.CreateDirectory(path);
            Platform.SetMode(path, Platform.Octal("0755"));

            FilePermissions.RestrictDirectoryToOwner(path);

            Assert.Equal(Platform.Octal("0700"), Platform.ModeOf(path));
        }

        [UnixTheory]
        [InlineData("0640", true)]
        [InlineData("0604", true)]
        [InlineData("0644", true)]
        [InlineData("0620", true)]
        [InlineData("0602", true)]
        [InlineData("0601", true)]
        [InlineData("0600", false)]
        [InlineData("0400", false)]
        [InlineData("0700", false)]
        public void IsReadableByOthers_LooksAtGroupAndOtherBits(string mode, bool expected)
        {
            string path = NewFile(mode);

            Assert.Equal(expected, FilePermissions.IsReadableByOthers(path));
        }

        [UnixTheory]
        [InlineData("0600")]
        [InlineData("0644")]
        [InlineData("0400")]
        public void Describe_GivesTheOctalMode(string mode)
        {
            Assert.Equal(mode, FilePermissions.Describe(NewFile(mode)));
        }

        [UnixFact]
        public void CreatePrivateFile_CreatesAnEmpty0600File()
        {
            string path = folder.Combine("new.db");

            FilePermissions.CreatePrivateFile(path);

            Assert.True(File.Exists(path));
            Assert.Equal(0, new FileInfo(path).Length);
            Assert.Equal(Platform.Octal("0600"), Platform.ModeOf(path));
            Assert.False(FilePermissions.IsReadableByOthers(path));
        }

        [UnixFact]
        public void RestrictFileToOwner_OnAMissingFile_SaysWhyInTheSystemsWords()
        {
            string path = folder.Combine("missing.txt");

            var error = Assert.Throws<FileNotFoundException>(() => FilePermissions.RestrictFileToOwner(path));

            Assert.Contains("No such file or directory", error.Message);
            Assert.Contains(path, error.Message);
        }

        [Fact]
        public void CreatePrivateFile_LeavesAnExistingFileAlone()
        {
            string path = folder.Combine("existing.db");
            File.WriteAllText(path, "keep me");

            FilePermissions.CreatePrivateFile(path);

            Assert.Equal("keep me", File.ReadAllText(path));
        }

        [WindowsFact]
        public void Windows_RestrictFileToOwner_LeavesOnlyTheCurrentUser()
        {
            if (!Platform.IsWindows)
            {
                return;
            }

            string path = folder.Combine("acl.txt");
            File.WriteAllText(path, "content");

            FilePermissions.RestrictFileToOwner(path);

            FileSecurity security = new FileInfo(path).GetAccessControl();
            Assert.True(security.AreAccessRulesProtected);
            SecurityIdentifier me = WindowsIdentity.GetCurrent().User!;
            foreach (FileSystemAccessRule rule in security.GetAccessRules(true, true, typeof(SecurityIdentifier)))
            {
                Assert.Equal(me, rule.IdentityReference);
            }

            Assert.False(FilePermissions.IsReadableByOthers(path));
            Assert.Equal("acl", FilePermissions.Describe(path));
        }

        [WindowsFact]
        public void Windows_IsReadableByOthers_TrueWhenEveryoneMayRead()
        {
            if (!Platform.IsWindows)
            {
                return;
            }

            string path = folder.Combine("shared.txt");
            File.WriteAllText(path, "content");
            FilePermissions.RestrictFileToOwner(path);
            FileInfo info = new FileInfo(path);
            FileSecurity security = info.GetAccessControl();
            security.AddAccessRule(new FileSystemAccessRule(new SecurityIdentifier(WellKnownSidType.WorldSid, null),
                FileSystemRights.Read, AccessControlType.Allow));
            info.SetAccessControl(security);

            Assert.True(FilePermissions.IsReadableByOthers(path));
        }

        private string NewFile(string mode)
        {
            string path = folder.Combine(Guid.NewGuid().ToString("N") + ".txt");
            File.WriteAllText(path, "content");
            Platform.SetMode(path, Platform.Octal(mode));
            return path;
        }
    }
}
