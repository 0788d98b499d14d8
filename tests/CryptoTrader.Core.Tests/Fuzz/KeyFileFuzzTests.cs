using System;
using System.IO;
using System.Linq;
using System.Text;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Tests.Support;
using CsCheck;
using Xunit;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>
    /// The encrypted key file parser on damaged copies of a key file the product wrote. The store is unlocked once
    /// (PBKDF2 at 600,000 iterations is slow) and each case overwrites the file and loads it: a damaged file fails only
    /// as KeyFileCorrupt, KeyStoreLocked (the token no longer matches the unlocked key) or KeyRingInvalid, a file that
    /// still loads holds exactly the original keys, and loading never changes the file.
    /// </summary>
    [Trait("Category", FuzzRun.Category)]
    public sealed class KeyFileFuzzTests : IClassFixture<KeyFileFuzzTests.UnlockedKeyFile>
    {
        private static readonly string[] DocumentedErrors = { ErrorIds.KeyFileCorrupt, ErrorIds.KeyStoreLocked, ErrorIds.KeyRingInvalid };

        private readonly UnlockedKeyFile file;

        public KeyFileFuzzTests(UnlockedKeyFile file)
        {
            this.file = file;
        }

        [Fact]
        public void TheProductsOwnFileLoads()
        {
            File.WriteAllBytes(file.Path, file.Original);
            AssertSameKeys(file.Ring, file.Store.Load()!);
        }

        // One file on disk: the cases run on one thread.
        [Fact]
        public void AFileWithMutatedTextFailsOnlyWithADocumentedError() =>
            FuzzRun.Check(Mutations.OfText(Encoding.UTF8.GetString(file.Original)), text => AssertLoadOutcome(new UTF8Encoding(false).GetBytes(text)), ciDefault: 2_000, threads: 1);

        [Fact]
        public void AFileWithMutatedBytesFailsOnlyWithADocumentedError() =>
            FuzzRun.Check(Mutations.OfBytes(file.Original), AssertLoadOutcome, ciDefault: 2_000, threads: 1);

        [Fact]
        public void AFileWithAFieldOfTheWrongShapeFailsOnlyWithADocumentedError() =>
            FuzzRun.Check(JsonFieldEdits.Of(Encoding.UTF8.GetString(file.Original), "", "format", "version", "kdf", "iterations", "salt", "keyring"), text => AssertLoadOutcome(Encoding.UTF8.GetBytes(text)), ciDefault: 2_000, threads: 1);

        [Fact]
        public void RandomBytesFailOnlyAsACorruptFile() =>
            FuzzRun.Check(Gen.Byte.Array[0, 600], bytes =>
            {
                var error = WriteAndLoad(bytes, out _);
                Assert.NotNull(error);
            }, ciDefault: 2_000, threads: 1);

        private void AssertLoadOutcome(byte[] content)
        {
            if (WriteAndLoad(content, out var loaded) is null)
            {
                AssertSameKeys(file.Ring, loaded!);
            }
        }

        private CtException? WriteAndLoad(byte[] content, out KeyRing? loaded)
        {
            File.WriteAllBytes(file.Path, content);
            KeyRing? result = null;
            var error = Allowed.CtFailure(() => result = file.Store.Load(), DocumentedErrors);
            Assert.Equal(content, File.ReadAllBytes(file.Path));
            loaded = result;
            return error;
        }

        private static void AssertSameKeys(KeyRing expected, KeyRing actual)
        {
            Assert.Equal(expected.Primary.Id, actual.Primary.Id);
            Assert.Equal(expected.Keys.Select(k => k.Key.ToBase64Url()), actual.Keys.Select(k => k.Key.ToBase64Url()));
        }

        /// <summary>A key file written by EncryptedFileKeyStore.Save, and the store left unlocked for this process.</summary>
        public sealed class UnlockedKeyFile : IDisposable
        {
            private readonly TempFolder folder = new TempFolder();

            public UnlockedKeyFile()
            {
                Path = folder.Combine("keyring.key");
                Store = new EncryptedFileKeyStore(Path);
                Store.Unlock("fuzz-passphrase".ToCharArray());
                Ring = KeyRing.CreateNew().WithNewPrimary(out _);
                Store.Save(Ring);
                Original = File.ReadAllBytes(Path);
            }

            public string Path { get; }

            public EncryptedFileKeyStore Store { get; }

            public KeyRing Ring { get; }

            public byte[] Original { get; }

            public void Dispose()
            {
                EncryptedFileKeyStore.Lock(Path);
                folder.Dispose();
            }
        }
    }
}
