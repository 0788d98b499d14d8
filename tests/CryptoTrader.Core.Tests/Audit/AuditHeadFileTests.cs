using System;
using System.IO;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    /// <summary>
    /// audit.head is opened as a private file at every use, not only when the data folder is opened: a link put in its place
    /// in the meantime is refused by readers and writers alike, and nothing is read, written or chmod'ed through it.
    /// Every head is written at one length, so an overwrite never changes the file's size.
    /// </summary>
    public sealed class AuditHeadFileTests : IDisposable
    {
        private readonly AuditTestFolder folder = new AuditTestFolder();

        public void Dispose() => folder.Dispose();

        [UnixFact]
        public void ALinkInPlaceOfTheHead_IsRefusedByEveryUse_AndNothingGoesThroughIt()
        {
            folder.AppendMany(2);
            string victim = folder.Path + "-victim";
            File.Copy(folder.HeadFilePath, victim);
            Platform.SetMode(victim, Platform.Octal("0644"));
            byte[] before = File.ReadAllBytes(victim);
            File.Delete(folder.HeadFilePath);
            Platform.Symlink(victim, folder.HeadFilePath);
            var head = new AuditHeadFile(folder.Home);

            try
            {
                AssertRefused(() => head.Read());
                AssertRefused(() => head.ReadAtSnapshot(() => { }));
                AssertRefused(() => head.Lock(createIfMissing: true).Dispose());
                AssertRefused(() => folder.Log.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "x")));

                Assert.Equal(2, folder.ReadAll().Count);
                Assert.Equal(before, File.ReadAllBytes(victim));
                Assert.Equal(Platform.Octal("0644"), Platform.ModeOf(victim));
            }
            finally
            {
                File.Delete(victim);
            }
        }

        [UnixFact]
        public void ALinkToDevZero_IsRefusedWithoutReadingIt()
        {
            folder.AppendMany(1);
            File.Delete(folder.HeadFilePath);
            Platform.Symlink("/dev/zero", folder.HeadFilePath);

            CtException error = AssertRefused(() => new AuditHeadFile(folder.Home).Read());

            Assert.Contains("'/dev/zero'", error.Message);
        }

        [UnixFact]
        public void AHeadFoundWider_Is0600AfterTheNextWrite()
        {
            folder.AppendMany(1);
            Platform.SetMode(folder.HeadFilePath, Platform.Octal("0644"));

            folder.AppendMany(1);

            Assert.Equal(Platform.Octal("0600"), Platform.ModeOf(folder.HeadFilePath));
        }

        [Fact]
        public void EveryHeadIsWrittenAtOneLength_SoOverwritingItNeverChangesTheFileSize()
        {
            var records = folder.AppendMany(3);
            var chain = new AuditChain(folder.Ring);
            long lengthAfterAppends = new FileInfo(folder.HeadFilePath).Length;

            using (var head = new AuditHeadFile(folder.Home).Lock(createIfMissing: false))
            {
                head.Write(AuditHead.Committing(2, records[1].ChainHash, 3, records[2].ChainHash, chain));
                Assert.Equal(AuditHeadFile.WrittenLength, new FileInfo(folder.HeadFilePath).Length);
                head.Write(AuditHead.Committed(3, records[2].ChainHash, chain));
            }

            Assert.Equal(AuditHeadFile.WrittenLength, lengthAfterAppends);
            Assert.Equal(AuditHeadFile.WrittenLength, new FileInfo(folder.HeadFilePath).Length);
            Assert.Equal(3, new AuditHeadFile(folder.Home).Read()!.Sequence);
            folder.AppendMany(1);
            Assert.True(folder.Verify().IsValid);
        }

        [Fact]
        public void AnUnpaddedHead_AsEarlierVersionsWroteIt_IsStillRead_AndPaddedByTheNextWrite()
        {
            var records = folder.AppendMany(2);
            File.WriteAllText(folder.HeadFilePath, AuditHead.Committed(2, records[1].ChainHash, new AuditChain(folder.Ring)).ToText());

            folder.AppendMany(1);

            Assert.True(folder.Verify().IsValid);
            Assert.Equal(AuditHeadFile.WrittenLength, new FileInfo(folder.HeadFilePath).Length);
        }

        private CtException AssertRefused(Action use)
        {
            CtException error = Assert.Throws<CtException>(use);
            Assert.Equal(ErrorIds.DataFolderInsecure, error.ErrorId);
            Assert.Equal(folder.HeadFilePath, error.Target);
            return error;
        }

        private CtException AssertRefused(Func<object?> use) => AssertRefused(() => { use(); });
    }
}
