using System.IO;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Storage
{
    /// <summary>stat(2) through libc agrees with stat(1) and ln(1) on kind, mode, owner and identity (on both targets).</summary>
#if NET
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
#endif
    public sealed class UnixFileStatusTests : System.IDisposable
    {
        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        [UnixFact]
        public void OfPath_GivesTheKindModeAndOwnerThatStatGives()
        {
            string file = folder.Combine("file");
            File.WriteAllText(file, "content");
            Platform.SetMode(file, Platform.Octal("0640"));

            var status = UnixFileStatus.OfPath(file, followLinks: false)!;

            Assert.Equal(UnixFileKind.RegularFile, status.Kind);
            Assert.Equal(Platform.Octal("0640"), status.Mode);
            Assert.Equal((uint)Platform.OwnerOf(file), status.Owner);
            Assert.Equal((uint)Platform.CurrentUid, UnixFileStatus.CurrentUser);
            Assert.Equal(UnixFileKind.Directory, UnixFileStatus.OfPath(folder.Path, followLinks: false)!.Kind);
            Assert.Null(UnixFileStatus.OfPath(folder.Combine("missing"), followLinks: false));
            Assert.Null(UnixFileStatus.OfPath(folder.Combine("file", "under-a-file"), followLinks: false));
        }

        [UnixFact]
        public void ALink_IsALinkUnlessFollowed_AndNamesItsTarget()
        {
            string target = folder.Combine("target");
            File.WriteAllText(target, "content");
            string link = folder.Combine("link");
            Platform.Symlink(target, link);

            Assert.Equal(UnixFileKind.SymbolicLink, UnixFileStatus.OfPath(link, followLinks: false)!.Kind);
            var followed = UnixFileStatus.OfPath(link, followLinks: true)!;
            Assert.Equal(UnixFileKind.RegularFile, followed.Kind);
            Assert.True(followed.IsSameFileAs(UnixFileStatus.OfPath(target, followLinks: false)!));
            Assert.Equal(target, UnixFileStatus.LinkTarget(link));
            Assert.Equal(UnixFileKind.Other, UnixFileStatus.OfPath("/dev/null", followLinks: false)!.Kind);
        }

        [UnixFact]
        public void OfOpenFile_IsTheFileTheHandleHolds_NotWhatThePathNamesNow()
        {
            string path = folder.Combine("held");
            File.WriteAllText(path, "first");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var atOpen = UnixFileStatus.OfPath(path, followLinks: false)!;

            Assert.True(UnixFileStatus.OfOpenFile(stream.SafeFileHandle, path).IsSameFileAs(atOpen));

            string replacement = folder.Combine("replacement");
            File.WriteAllText(replacement, "second");
            File.Delete(path);
            File.Move(replacement, path);
            Assert.False(UnixFileStatus.OfOpenFile(stream.SafeFileHandle, path).IsSameFileAs(UnixFileStatus.OfPath(path, followLinks: false)!));
        }
    }
}
