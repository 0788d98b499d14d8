using System;
using System.IO;
using System.Text;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    /// <summary>New passphrases are NFC-normalized; files written before that keep their as-typed derivation; changing the passphrase.</summary>
    public sealed class KeyFilePassphraseTests : IDisposable
    {
        private const string Composed = "caf\u00e9 au lait, merci";
        private const string Decomposed = "cafe\u0301 au lait, merci";
        private readonly TempFolder folder = new TempFolder();

        public void Dispose()
        {
            EncryptedFileKeyStore.LockAll();
            folder.Dispose();
        }

        [Fact]
        public void ANewKeyFile_OpensWithTheComposedAndTheDecomposedSpelling()
        {
            Assert.NotEqual(Composed, Decomposed);
            string path = NewFile(Composed, KeyRing.CreateNew());

            Assert.NotNull(Locked(path).Unlock(Decomposed.ToCharArray()));
            Assert.NotNull(Locked(path).Unlock(Composed.ToCharArray()));
        }

        [Fact]
        public void AKeyFileWrittenBeforeNfc_KeepsUnlockingAsTyped_EvenWithAPassphraseTheNewRulesRefuse_AndStaysSoWhenSaved()
        {
            foreach (string typed in new[] { Decomposed, "8charsOK" })
            {
                KeyRing ring = KeyRing.CreateNew();
                string path = folder.Combine("v1-" + Guid.NewGuid().ToString("N") + ".key");
                var legacyKey = PassphraseKey.Derive(typed.ToCharArray(), SecureRandom.Bytes(PassphraseKey.SaltLength), PassphraseKey.MinimumIterations, normalized: false);
                WritePrivate(path, KeyFileFormat.Write(ring, legacyKey));
                Assert.Contains("\"version\": 1", File.ReadAllText(path));

                var store = Locked(path);
                Assert.Equal(ring.Serialize(), store.Unlock(typed.ToCharArray())!.Serialize());
                store.Save(ring.WithNewPrimary(out _));

                Assert.Contains("\"version\": 1", File.ReadAllText(path));
                Assert.NotNull(Locked(path).Unlock(typed.ToCharArray()));
            }
            string decomposedFile = folder.Combine("v1-nfc.key");
            WritePrivate(decomposedFile, KeyFileFormat.Write(KeyRing.CreateNew(),
                PassphraseKey.Derive(Decomposed.ToCharArray(), SecureRandom.Bytes(PassphraseKey.SaltLength), PassphraseKey.MinimumIterations, normalized: false)));
            Assert.Equal(ErrorIds.WrongPassphrase, Assert.Throws<CtException>(() => Locked(decomposedFile).Unlock(Composed.ToCharArray())).ErrorId);
        }

        [Fact]
        public void ChangePassphrase_ReEncryptsTheWholeRing_UnderTheNewOneOnly()
        {
            KeyRing ring = KeyRing.CreateNew().WithNewPrimary(out _);
            string path = NewFile(Composed, ring);
            KeyRing? recorded = null;

            Locked(path).ChangePassphrase(Composed.ToCharArray(), "a new and longer passphrase".ToCharArray(), read => recorded = read);

            Assert.Equal(ring.Serialize(), recorded!.Serialize());
            Assert.Equal(ring.Serialize(), Locked(path).Unlock("a new and longer passphrase".ToCharArray())!.Serialize());
            Assert.Equal(ErrorIds.WrongPassphrase, Assert.Throws<CtException>(() => Locked(path).Unlock(Composed.ToCharArray())).ErrorId);
            Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
        }

        [Theory]
        [InlineData("wrong current passphrase", "a new and longer passphrase", ErrorIds.WrongPassphrase)]
        [InlineData(Composed, "too short", ErrorIds.WeakPassphrase)]
        [InlineData(Composed, "zzzzzzzzzzzzzzzz", ErrorIds.WeakPassphrase)]
        public void ChangePassphrase_Refused_LeavesTheFileAsItWas(string current, string replacement, string errorId)
        {
            string path = NewFile(Composed, KeyRing.CreateNew());
            byte[] before = File.ReadAllBytes(path);
            bool recorded = false;

            CtException error = Assert.Throws<CtException>(() => Locked(path).ChangePassphrase(current.ToCharArray(), replacement.ToCharArray(), _ => recorded = true));

            Assert.Equal(errorId, error.ErrorId);
            Assert.False(recorded);
            Assert.Equal(before, File.ReadAllBytes(path));
        }

        [Fact]
        public void ChangePassphrase_WhoseRecordFails_PutsTheOldFileBack()
        {
            string path = NewFile(Composed, KeyRing.CreateNew());
            byte[] before = File.ReadAllBytes(path);

            var error = Assert.Throws<CtException>(() => Locked(path).ChangePassphrase(Composed.ToCharArray(), "a new and longer passphrase".ToCharArray(),
                _ => throw new CtException(ErrorIds.AuditWriteFailed, CtErrorKind.WriteError, "disk full")));

            Assert.Equal(ErrorIds.AuditWriteFailed, error.ErrorId);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.NotNull(Locked(path).Unlock(Composed.ToCharArray()));
        }

        [Fact]
        public void Lock_ZeroesThePassphraseKey_SoAStoreThatWasUnlockedNeedsThePassphraseAgain()
        {
            string path = NewFile(Composed, KeyRing.CreateNew());
            var store = new EncryptedFileKeyStore(path);
            store.Unlock(Composed.ToCharArray());

            EncryptedFileKeyStore.Lock(path);

            Assert.False(store.IsUnlocked);
            Assert.Equal(ErrorIds.KeyStoreLocked, Assert.Throws<CtException>(() => store.Load()).ErrorId);
        }

        private string NewFile(string passphrase, KeyRing ring)
        {
            string path = folder.Combine(Guid.NewGuid().ToString("N") + ".key");
            var store = new EncryptedFileKeyStore(path);
            Assert.Null(store.Unlock(passphrase.ToCharArray()));
            store.Save(ring);
            EncryptedFileKeyStore.Lock(path);
            return path;
        }

        private static EncryptedFileKeyStore Locked(string path)
        {
            EncryptedFileKeyStore.Lock(path);
            return new EncryptedFileKeyStore(path);
        }

        private static void WritePrivate(string path, string text)
        {
            File.WriteAllText(path, text, new UTF8Encoding(false));
            if (!Platform.IsWindows)
            {
                Platform.SetMode(path, Platform.Octal("0600"));
            }
        }
    }
}
