using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    /// <summary>
    /// One key file, created once (PBKDF2 at 600,000 iterations is slow): tests copy it to a fresh path
    /// (a fresh path starts locked) before changing or unlocking it.
    /// </summary>
    public sealed class KeyFileFixture : IDisposable
    {
        public const string Passphrase = "12 chars, ok"; // exactly the minimum length

        public KeyFileFixture()
        {
            Folder = new TempFolder();
            Ring = KeyRing.CreateNew().WithNewPrimary(out _);
            Path = Folder.Combine("keyring.key");
            var store = new EncryptedFileKeyStore(Path);
            UnlockResultForNewFile = store.Unlock(Passphrase.ToCharArray());
            FileExistedAfterUnlock = File.Exists(Path);
            store.Save(Ring);
            Bytes = File.ReadAllBytes(Path);
            Text = File.ReadAllText(Path);
        }

        public TempFolder Folder { get; }

        public KeyRing Ring { get; }

        public string Path { get; }

        public KeyRing? UnlockResultForNewFile { get; }

        public bool FileExistedAfterUnlock { get; }

        public byte[] Bytes { get; }

        public string Text { get; }

        /// <summary>A copy of the key file at a new path, still locked in this process.</summary>
        public string Copy(string? text = null)
        {
            string path = Folder.Combine("copy-" + Guid.NewGuid().ToString("N") + ".key");
            if (text is null)
            {
                File.WriteAllBytes(path, Bytes);
            }
            else
            {
                File.WriteAllText(path, text);
            }

            if (!Platform.IsWindows)
            {
                Platform.SetMode(path, Platform.Octal("0600"));
            }

            return path;
        }

        public void Dispose()
        {
            EncryptedFileKeyStore.Lock(Path);
            Folder.Dispose();
        }
    }

    public sealed class EncryptedFileKeyStoreTests : IClassFixture<KeyFileFixture>
    {
        private readonly KeyFileFixture file;

        public EncryptedFileKeyStoreTests(KeyFileFixture file)
        {
            this.file = file;
        }

        [Fact]
        public void FirstUnlock_OfAMissingFile_ReturnsNull_AndCreatesNothing()
        {
            Assert.Null(file.UnlockResultForNewFile);
            Assert.False(file.FileExistedAfterUnlock);
        }

        [UnixFact]
        public void Save_CreatesA0600File()
        {
            Assert.Equal(Platform.Octal("0600"), Platform.ModeOf(file.Path));
        }

        [Fact]
        public void TheFile_ContainsNoKeyMaterial()
        {
            string[] keys = file.Ring.Keys.Select(k => k.Key.ToBase64Url()).ToArray();
            Assert.Equal(2, keys.Length);
            string serialized = file.Ring.Serialize();
            foreach (string key in keys)
            {
                Assert.Contains(key, serialized); // the check below is meaningful
                Assert.DoesNotContain(key, file.Text);
                Assert.DoesNotContain(key.TrimEnd('='), file.Text);
                Assert.DoesNotContain(key.Replace('-', '+').Replace('_', '/'), file.Text);
            }

            Assert.DoesNotContain(KeyFileFixture.Passphrase, file.Text);
        }

        [Fact]
        public void TheFile_RecordsTheKdfAndItsCost()
        {
            JsonNode root = JsonNode.Parse(file.Text)!;

            Assert.Equal("CryptoTrader.KeyFile", (string?)root["format"]);
            Assert.Equal("PBKDF2-HMAC-SHA256", (string?)root["kdf"]);
            Assert.Equal(600_000, (int)root["iterations"]!);
            Assert.Equal(2, (int)root["version"]!);
            Assert.Equal("NFC", (string?)root["passphrase_normalization"]);
            Assert.Equal(PassphraseKey.SaltLength, Convert.FromBase64String((string)root["salt"]!).Length);
            Assert.StartsWith("gAAAAA", (string?)root["keyring"]);
        }

        [Fact]
        public void Save_LeavesNoTemporaryFilesBehind()
        {
            Assert.Equal(new[] { file.Path }, Directory.GetFiles(file.Folder.Path).Where(p => !p.Contains("copy-")).ToArray());
            Assert.Empty(Directory.GetFiles(file.Folder.Path, "*.tmp"));
        }

        [Fact]
        public void Unlock_WithTheRightPassphrase_ReturnsTheSameRing_AndUnlocksLoad()
        {
            string path = file.Copy();
            var store = new EncryptedFileKeyStore(path);
            Assert.False(store.IsUnlocked);

            KeyRing? ring = store.Unlock(KeyFileFixture.Passphrase.ToCharArray());

            Assert.NotNull(ring);
            Assert.Equal(file.Ring.Keys.Select(k => k.Id), ring!.Keys.Select(k => k.Id));
            Assert.Equal(file.Ring.Primary.Id, ring.Primary.Id);
            Assert.Equal(file.Ring.Primary.Key.ToBase64Url(), ring.Primary.Key.ToBase64Url());
            Assert.True(store.IsUnlocked);
            Assert.Equal(file.Ring.Primary.Id, new EncryptedFileKeyStore(path).Load()!.Primary.Id);

            // Lock forgets the passphrase key: Load and Save refuse afterwards.
            EncryptedFileKeyStore.Lock(path);
            Assert.False(store.IsUnlocked);
            Assert.Equal(ErrorIds.KeyStoreLocked, Assert.Throws<CtException>(() => store.Load()).ErrorId);
            Assert.Equal(ErrorIds.KeyStoreLocked, Assert.Throws<CtException>(() => store.Save(file.Ring)).ErrorId);
            Assert.Equal(file.Bytes, File.ReadAllBytes(path));
        }

        [Fact]
        public void Unlock_WithTheWrongPassphrase_GivesWrongPassphrase_AndStaysLocked()
        {
            string path = file.Copy();
            var store = new EncryptedFileKeyStore(path);
            const string wrong = "not-the-passphrase";

            CtException error = Assert.Throws<CtException>(() => store.Unlock(wrong.ToCharArray()));

            Assert.Equal(ErrorIds.WrongPassphrase, error.ErrorId);
            Assert.Equal(CtErrorKind.SecurityError, error.Kind);
            Assert.Contains("Unlock-CtKeyStore", error.Message);
            Assert.DoesNotContain(wrong, error.ToString());
            Assert.False(store.IsUnlocked);
            Assert.Equal(file.Bytes, File.ReadAllBytes(path));
        }

        [Fact]
        public void Load_WhenLocked_GivesKeyStoreLocked_MentioningUnlockCtKeyStore()
        {
            var store = new EncryptedFileKeyStore(file.Copy());

            CtException error = Assert.Throws<CtException>(() => store.Load());

            Assert.Equal(ErrorIds.KeyStoreLocked, error.ErrorId);
            Assert.Contains("Unlock-CtKeyStore", error.Message);
        }

        [Fact]
        public void Load_OfAMissingFile_ReturnsNull_EvenWhenLocked()
        {
            Assert.Null(new EncryptedFileKeyStore(file.Folder.Combine("missing.key")).Load());
        }

        [Theory]
        [InlineData("", "0 characters")]
        [InlineData("short", "5 characters")]
        [InlineData("11 chars ok", "11 characters")]
        [InlineData("12345678", "8 characters")]
        [InlineData("aaaaaaaaaaaaaaaa", "one character repeated")]
        [InlineData("            ", "only whitespace")]
        [InlineData("\t \u00a0 \t \u00a0 \t \u00a0 ", "only whitespace")]
        [InlineData("\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511\U0001F511", "one character repeated")]
        [InlineData("e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301", "11 characters")]
        public void Unlock_OfANewFile_RefusesAWeakPassphrase_SayingWhy(string passphrase, string why)
        {
            passphrase = System.Text.RegularExpressions.Regex.Unescape(passphrase);
            string path = file.Folder.Combine("weak-" + Guid.NewGuid().ToString("N") + ".key");
            var store = new EncryptedFileKeyStore(path);

            CtException error = Assert.Throws<CtException>(() => store.Unlock(passphrase.ToCharArray()));

            Assert.Equal(ErrorIds.WeakPassphrase, error.ErrorId);
            Assert.Contains(why, error.Message);
            Assert.Contains("12", error.Message);
            if (passphrase.Trim().Length > 0)
            {
                Assert.DoesNotContain(passphrase, error.Message);
            }
            Assert.False(store.IsUnlocked);
            Assert.False(File.Exists(path));
        }

        [UnixTheory]
        [InlineData("0644")]
        [InlineData("0640")]
        [InlineData("0604")]
        public void AFileOthersCanRead_GivesKeyFileInsecure_WithoutReadingIt(string mode)
        {
            // Garbage content: had the file been read, the error would be KeyFileCorrupt.
            string path = file.Copy("this would be KeyFileCorrupt if it were parsed");
            Platform.SetMode(path, Platform.Octal(mode));
            var store = new EncryptedFileKeyStore(path);

            CtException error = Assert.Throws<CtException>(() => store.Unlock(KeyFileFixture.Passphrase.ToCharArray()));

            Assert.Equal(ErrorIds.KeyFileInsecure, error.ErrorId);
            Assert.Equal(CtErrorKind.SecurityError, error.Kind);
            Assert.Contains("chmod 600", error.Message);
            Assert.Contains(mode, error.Message);
            Assert.False(store.IsUnlocked);
            Assert.Equal(Platform.Octal(mode), Platform.ModeOf(path)); // not silently "fixed"
        }

        [UnixFact]
        public void AnInsecureFile_IsRefusedByLoadToo_EvenWhenUnlocked()
        {
            string path = file.Copy();
            var store = new EncryptedFileKeyStore(path);
            store.Unlock(KeyFileFixture.Passphrase.ToCharArray());
            Platform.SetMode(path, Platform.Octal("0644"));

            try
            {
                Assert.Equal(ErrorIds.KeyFileInsecure, Assert.Throws<CtException>(() => store.Load()).ErrorId);
            }
            finally
            {
                EncryptedFileKeyStore.Lock(path);
            }
        }

        [Theory]
        [InlineData("{ not json")]
        [InlineData("")]
        [InlineData("[]")]
        [InlineData("{\"format\":\"CryptoTrader.KeyFile\"}")]
        public void GarbageJson_GivesKeyFileCorrupt_AndTheFileIsUnchanged(string text)
        {
            AssertRejected(file.Copy(text), ErrorIds.KeyFileCorrupt);
        }

        [Theory]
        [InlineData("iterations", 599_999)]
        [InlineData("iterations", 1)]
        [InlineData("iterations", 0)]
        [InlineData("iterations", -600_000)]
        [InlineData("iterations", 6_000_001)]
        [InlineData("iterations", int.MaxValue)]
        [InlineData("version", 3)]
        [InlineData("version", 0)]
        public void ALoweredOrExcessiveCostOrUnknownVersion_GivesKeyFileCorrupt_WithoutRunningTheKdf(string field, int value)
        {
            JsonNode root = JsonNode.Parse(file.Text)!;
            root[field] = value;

            CtException error = AssertRejected(file.Copy(root.ToJsonString()), ErrorIds.KeyFileCorrupt);

            if (field == "iterations")
            {
                Assert.Contains(value < 600_000 ? "600000" : "6000000", error.Message);
            }
        }

        [Theory]
        [InlineData("kdf", "PBKDF2-HMAC-SHA1")]
        [InlineData("format", "SomethingElse")]
        [InlineData("salt", "c2hvcnQ=")]
        [InlineData("salt", "!!not base64!!")]
        public void AnUnknownKdfFormatOrBadSalt_GivesKeyFileCorrupt(string field, string value)
        {
            JsonNode root = JsonNode.Parse(file.Text)!;
            root[field] = value;

            AssertRejected(file.Copy(root.ToJsonString()), ErrorIds.KeyFileCorrupt);
        }

        [Fact]
        public void ADifferentSalt_GivesWrongPassphrase_AndTheFileIsUnchanged()
        {
            JsonNode root = JsonNode.Parse(file.Text)!;
            byte[] salt = Convert.FromBase64String((string)root["salt"]!);
            salt[0] ^= 0x01;
            root["salt"] = Convert.ToBase64String(salt);

            AssertRejected(file.Copy(root.ToJsonString()), ErrorIds.WrongPassphrase);
        }

        [Fact]
        public void ATamperedKeyRingToken_GivesWrongPassphrase_AndTheFileIsUnchanged()
        {
            JsonNode root = JsonNode.Parse(file.Text)!;
            string token = (string)root["keyring"]!;
            int middle = token.Length / 2;
            root["keyring"] = token.Substring(0, middle) + (token[middle] == 'A' ? 'B' : 'A') + token.Substring(middle + 1);

            AssertRejected(file.Copy(root.ToJsonString()), ErrorIds.WrongPassphrase);
        }

        [Fact]
        public void Save_ReplacesTheFileAtomically_AndLoadReadsTheNewRing()
        {
            using var folder = new TempFolder();
            string path = folder.Combine("keyring.key");
            File.WriteAllBytes(path, file.Bytes);
            if (!Platform.IsWindows)
            {
                Platform.SetMode(path, Platform.Octal("0600"));
            }

            var store = new EncryptedFileKeyStore(path);
            KeyRing original = store.Unlock(KeyFileFixture.Passphrase.ToCharArray())!;
            try
            {
                KeyRing rotated = original.WithNewPrimary(out KeyRingEntry added);

                store.Save(rotated);

                Assert.Equal(new[] { path }, Directory.GetFiles(folder.Path));
                Assert.NotEqual(file.Bytes, File.ReadAllBytes(path));
                Assert.DoesNotContain(added.Key.ToBase64Url(), File.ReadAllText(path));
                KeyRing loaded = new EncryptedFileKeyStore(path).Load()!;
                Assert.Equal(added.Id, loaded.Primary.Id);
                Assert.Equal(rotated.Keys.Select(k => k.Id), loaded.Keys.Select(k => k.Id));
                if (!Platform.IsWindows)
                {
                    Assert.Equal(Platform.Octal("0600"), Platform.ModeOf(path));
                }
            }
            finally
            {
                EncryptedFileKeyStore.Lock(path);
            }
        }

        [Fact]
        public void Save_WhenLocked_GivesKeyStoreLocked_AndWritesNothing()
        {
            using var folder = new TempFolder();
            var store = new EncryptedFileKeyStore(folder.Combine("keyring.key"));

            CtException error = Assert.Throws<CtException>(() => store.Save(KeyRing.CreateNew()));

            Assert.Equal(ErrorIds.KeyStoreLocked, error.ErrorId);
            Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
        }

        [Fact]
        public void AFileLongerThanTheBound_GivesKeyFileCorrupt_AfterReadingNoMoreThanIt()
        {
            // A valid key file followed by padding: had it been read whole, it would have parsed as JSON up to the padding.
            string path = file.Copy(file.Text + new string(' ', KeyFileFormat.MaxLength));

            CtException error = AssertRejected(path, ErrorIds.KeyFileCorrupt);

            Assert.Contains("larger than 4 MiB", error.Message);
        }

        [Fact]
        public void AFileWithAByteOrderMark_StillOpens()
        {
            string path = file.Copy("\uFEFF" + file.Text);
            var store = new EncryptedFileKeyStore(path);

            try
            {
                Assert.Equal(file.Ring.Primary.Id, store.Unlock(KeyFileFixture.Passphrase.ToCharArray())!.Primary.Id);
            }
            finally
            {
                EncryptedFileKeyStore.Lock(path);
            }
        }

        [UnixFact]
        public void ALinkInPlaceOfTheKeyFile_IsRefused_AndSaveDoesNotReplaceIt()
        {
            string target = file.Copy();
            string link = file.Folder.Combine("link-" + Guid.NewGuid().ToString("N") + ".key");
            Platform.Symlink(target, link);
            var store = new EncryptedFileKeyStore(link);
            byte[] before = File.ReadAllBytes(target);

            CtException error = Assert.Throws<CtException>(() => store.Unlock(KeyFileFixture.Passphrase.ToCharArray()));

            Assert.Equal(ErrorIds.DataFolderInsecure, error.ErrorId);
            Assert.Contains("symbolic link", error.Message);
            Assert.False(store.IsUnlocked);
            Assert.Equal(before, File.ReadAllBytes(target));
        }

        [UnixFact]
        public void Save_OverALink_IsRefused_AndLeavesNoTemporaryFile()
        {
            string folderPath = file.Folder.Combine("save-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folderPath);
            string link = Path.Combine(folderPath, "keyring.key");
            var store = new EncryptedFileKeyStore(link);
            store.Unlock(KeyFileFixture.Passphrase.ToCharArray()); // no file yet: sets the passphrase of the file Save creates
            string target = file.Copy();
            byte[] before = File.ReadAllBytes(target);
            Platform.Symlink(target, link);

            try
            {
                CtException error = Assert.Throws<CtException>(() => store.Save(file.Ring));

                Assert.Equal(ErrorIds.DataFolderInsecure, error.ErrorId);
                Assert.Equal(before, File.ReadAllBytes(target));
                Assert.Equal(new[] { link }, Directory.GetFileSystemEntries(folderPath));
            }
            finally
            {
                EncryptedFileKeyStore.Lock(link);
            }
        }

        [Fact]
        public void Store_DescribesItself_WithoutSecrets()
        {
            var store = new EncryptedFileKeyStore(file.Path);

            Assert.Equal(KeyStoreKind.File, store.Kind);
            Assert.Equal(file.Path, store.Location);
            Assert.Equal("file:" + file.Path, store.CacheKey);
        }

        private CtException AssertRejected(string path, string errorId)
        {
            byte[] before = File.ReadAllBytes(path);
            var store = new EncryptedFileKeyStore(path);

            CtException error = Assert.Throws<CtException>(() => store.Unlock(KeyFileFixture.Passphrase.ToCharArray()));

            Assert.Equal(errorId, error.ErrorId);
            Assert.False(store.IsUnlocked);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.DoesNotContain(KeyFileFixture.Passphrase, error.ToString());
            return error;
        }
    }
}
