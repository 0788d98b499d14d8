using System;
using System.IO;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Storage
{
    /// <summary>The module's own files: created 0600, never a link, never another user's, read only as far as a bound.</summary>
    public sealed class PrivateFileTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        [UnixFact]
        public void CreateNew_CreatesAnEmpty0600File_AndReportsATakenPathWithoutTouchingIt()
        {
            string path = folder.Combine("new");

            Assert.True(PrivateFile.CreateNew(path));
            Assert.Equal(0, new FileInfo(path).Length);
            Assert.Equal(Platform.Octal("0600"), Platform.ModeOf(path));

            File.WriteAllText(path, "keep me");
            Platform.SetMode(path, Platform.Octal("0644"));
            Assert.False(PrivateFile.CreateNew(path));
            Assert.Equal("keep me", File.ReadAllText(path));
            Assert.Equal(Platform.Octal("0644"), Platform.ModeOf(path));
        }

        [UnixFact]
        public void CreateNew_NeverCreatesThroughALink_EvenADanglingOne()
        {
            string target = folder.Combine("would-be-created");
            string link = folder.Combine("link");
            Platform.Symlink(target, link);

            Assert.False(PrivateFile.CreateNew(link));

            Assert.False(File.Exists(target));
        }

        [UnixFact]
        public void Check_RefusesALinkOrAFolder_WithDataFolderInsecure_AndIsFalseForNothing()
        {
            string victim = NewVictim();
            string link = folder.Combine("audit.head");
            Platform.Symlink(victim, link);
            string directory = folder.Combine("keyring.lock");
            Directory.CreateDirectory(directory);

            CtException linked = Assert.Throws<CtException>(() => PrivateFile.Check(link));
            CtException notAFile = Assert.Throws<CtException>(() => PrivateFile.Check(directory));

            Assert.Equal(ErrorIds.DataFolderInsecure, linked.ErrorId);
            Assert.Equal(CtErrorKind.SecurityError, linked.Kind);
            Assert.Equal(link, linked.Target);
            Assert.Contains($"'{link}' is a symbolic link to '{victim}'", linked.Message);
            Assert.Contains($"will not use the data folder '{folder.Path}'", linked.Message);
            Assert.Contains("Remove the link", linked.Message);
            Assert.Equal(ErrorIds.DataFolderInsecure, notAFile.ErrorId);
            Assert.Contains("is not a regular file", notAFile.Message);
            Assert.False(PrivateFile.Check(folder.Combine("missing")));
        }

        [UnixFact]
        public void Secure_Gives0600_ButNeverChmodsThroughALink()
        {
            string path = folder.Combine("wide");
            File.WriteAllText(path, "content");
            Platform.SetMode(path, Platform.Octal("0644"));
            string victim = NewVictim();
            string link = folder.Combine("link");
            Platform.Symlink(victim, link);

            Assert.True(PrivateFile.Secure(path));
            Assert.Equal(Platform.Octal("0600"), Platform.ModeOf(path));
            Assert.Equal(ErrorIds.DataFolderInsecure, Assert.Throws<CtException>(() => PrivateFile.Secure(link)).ErrorId);
            Assert.Equal(Platform.Octal("0644"), Platform.ModeOf(victim));
            Assert.False(PrivateFile.Secure(folder.Combine("missing")));
        }

        [UnixFact]
        public void Open_OpensTheFileItself_AndRefusesALinkWithoutOpeningItsTarget()
        {
            string path = folder.Combine("own");
            File.WriteAllText(path, "own content");
            Platform.SetMode(path, Platform.Octal("0640"));
            string victim = NewVictim();
            string link = folder.Combine("link");
            Platform.Symlink(victim, link);

            using (FileStream stream = PrivateFile.Open(path, FileAccess.ReadWrite, FileShare.None))
            {
                Assert.Equal("own content", new StreamReader(stream).ReadToEnd());
            }
            Assert.Equal(Platform.Octal("0600"), Platform.ModeOf(path));
            Assert.Equal(ErrorIds.DataFolderInsecure, Assert.Throws<CtException>(() => PrivateFile.Open(link, FileAccess.ReadWrite, FileShare.None)).ErrorId);
            Assert.Equal("a file of the user's own", File.ReadAllText(victim));
            Assert.Throws<FileNotFoundException>(() => PrivateFile.Open(folder.Combine("missing"), FileAccess.Read, FileShare.Read));
        }

        [RootFact]
        public void AFileOfAnotherUser_IsRefused_NamingBothUsers_AndLeftAsItIs()
        {
            string path = folder.Combine("keyring.lock");
            File.WriteAllText(path, "theirs");
            Platform.SetMode(path, Platform.Octal("0644"));
            Platform.SetOwner(path, Platform.Nobody);

            CtException error = Assert.Throws<CtException>(() => PrivateFile.Secure(path));

            Assert.Equal(ErrorIds.DataFolderInsecure, error.ErrorId);
            Assert.Contains($"belongs to uid {Platform.Nobody}, not to uid 0", error.Message);
            Assert.Contains("chown", error.Message);
            Assert.Equal(Platform.Octal("0644"), Platform.ModeOf(path));
            Assert.Equal(Platform.Nobody, Platform.OwnerOf(path));
            Assert.Equal(ErrorIds.DataFolderInsecure, Assert.Throws<CtException>(() => PrivateFile.Open(path, FileAccess.Read, FileShare.Read)).ErrorId);
        }

        [Theory]
        [InlineData(0, 512)]
        [InlineData(100, 512)]
        [InlineData(512, 512)]
        [InlineData(513, 512)]
        [InlineData(10_000_000, 4096)]
        public void ReadPrefix_ReadsTheWholeOfAShortStream_AndNoMoreThanTheBoundOfALongOne(int length, int bound)
        {
            using var stream = new MemoryStream(new byte[length]);

            Assert.Equal(Math.Min(length, bound), PrivateFile.ReadPrefix(stream, bound).Length);
        }

        [Fact]
        public void ReadPrefix_OfAnEndlessStream_StopsAtTheBound()
        {
            using var endless = new EndlessStream();

            byte[] bytes = PrivateFile.ReadPrefix(endless, 1_000_000);

            Assert.Equal(1_000_000, bytes.Length);
            Assert.Equal(1_000_000, endless.Delivered);
        }

        private string NewVictim()
        {
            string victim = folder.Combine("victim-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(victim, "a file of the user's own");
            Platform.SetMode(victim, Platform.Octal("0644"));
            return victim;
        }

        /// <summary>What /dev/zero is to a reader: zeros without end, and a length of 0.</summary>
        private sealed class EndlessStream : Stream
        {
            public long Delivered { get; private set; }

            public override bool CanRead => true;

            public override bool CanSeek => true;

            public override bool CanWrite => false;

            public override long Length => 0;

            public override long Position { get => Delivered; set { } }

            public override int Read(byte[] buffer, int offset, int count)
            {
                Array.Clear(buffer, offset, count);
                Delivered += count;
                return count;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => 0;

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
