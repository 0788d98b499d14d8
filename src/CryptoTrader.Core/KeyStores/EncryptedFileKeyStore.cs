using System;
using System.Collections.Concurrent;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// The key ring in a user-only file, encrypted under a passphrase key (PBKDF2-HMAC-SHA256, 600,000 iterations).
    /// The passphrase key is kept in memory for the session once unlocked; <see cref="Lock"/> forgets it. The file is a
    /// <see cref="PrivateFile"/> (a link or another user's file in its place is DataFolderInsecure), read up to
    /// <see cref="KeyFileFormat.MaxLength"/> bytes only.
    /// </summary>
    public sealed class EncryptedFileKeyStore : IKeyStore
    {
        private static readonly ConcurrentDictionary<string, PassphraseKey> UnlockedKeys =
            new ConcurrentDictionary<string, PassphraseKey>(StringComparer.Ordinal);

        public EncryptedFileKeyStore(string path)
        {
            Path = System.IO.Path.GetFullPath(path);
        }

        public string Path { get; }

        public KeyStoreKind Kind => KeyStoreKind.File;

        public string Location => Path;

        public string CacheKey => "file:" + Path;

        public bool Exists => File.Exists(Path);

        public bool IsUnlocked => UnlockedKeys.ContainsKey(Path);

        /// <summary>Forgets the passphrase key of the key file at <paramref name="path"/>, zeroing it.</summary>
        public static void Lock(string path)
        {
            if (UnlockedKeys.TryRemove(System.IO.Path.GetFullPath(path), out var key))
            {
                key.Wipe();
            }
        }

        /// <summary>Forgets every passphrase key of this process (Remove-Module).</summary>
        public static void LockAll()
        {
            foreach (var path in UnlockedKeys.Keys)
            {
                Lock(path);
            }
        }

        /// <summary>
        /// Opens the key file with the passphrase and keeps its key for the session. When there is no key file yet,
        /// the passphrase becomes the passphrase of the file that the next <see cref="Save"/> creates.
        /// Returns the stored key ring, or null when the file does not exist yet.
        /// </summary>
        public KeyRing? Unlock(char[] passphrase)
        {
            if (!Exists)
            {
                PassphrasePolicy.RequireStrong(passphrase, Path);
                Remember(PassphraseKey.DeriveNew(passphrase));
                return null;
            }
            var header = ReadHeader();
            var key = PassphraseKey.Derive(passphrase, header.Salt, header.Iterations, header.Normalized);
            var ring = Decrypt(header, key, wrongKeyErrorId: ErrorIds.WrongPassphrase,
                wrongKeyMessage: $"The passphrase for the key file '{Path}' is wrong. Try again with Unlock-CtKeyStore.");
            Remember(key);
            return ring;
        }

        public KeyRing? Load()
        {
            if (!Exists)
            {
                return null;
            }
            var key = RequireUnlockedKey();
            return Decrypt(ReadHeader(), key, wrongKeyErrorId: ErrorIds.KeyStoreLocked,
                wrongKeyMessage: $"The key file '{Path}' was re-encrypted with another passphrase since it was unlocked. Run Unlock-CtKeyStore again.");
        }

        public void Save(KeyRing ring) => Write(ring, RequireUnlockedKey());

        /// <summary>Deletes the key file and forgets its passphrase key (Move-CtKeyRing, after the ring is safe in another store).</summary>
        public bool Delete()
        {
            Lock(Path);
            if (!Exists)
            {
                return false;
            }
            File.Delete(Path);
            return true;
        }

        /// <summary>
        /// Re-encrypts the key file under <paramref name="replacement"/> (a new salt, NFC, the module's cost): the stored ring as
        /// read, every field, written to a temporary file and renamed over the old one. <paramref name="record"/> runs with the new
        /// file in place (the audit record); if it throws, the old file is put back. The caller holds the key-ring lock.
        /// </summary>
        public void ChangePassphrase(char[] current, char[] replacement, Action<KeyRing> record)
        {
            PassphrasePolicy.RequireStrong(replacement, Path);
            if (!Exists)
            {
                throw new CtException(ErrorIds.KeyRingMissing, CtErrorKind.NotFound,
                    $"There is no key file at '{Path}' to change the passphrase of. Create it with Unlock-CtKeyStore -Password or Set-CtConfig -KeyStore File -Password.", Path);
            }
            var previous = ReadFile();
            var header = ParseHeader(previous);
            var ring = Decrypt(header, PassphraseKey.Derive(current, header.Salt, header.Iterations, header.Normalized), ErrorIds.WrongPassphrase,
                $"The current passphrase for the key file '{Path}' is wrong; nothing was changed.");
            var replacementKey = PassphraseKey.DeriveNew(replacement);
            UnlockedKeys.TryGetValue(Path, out var previousKey);
            Write(ring, replacementKey);
            // Unlocked with the new passphrase before the record, so what the record does with the store reads the new file.
            Remember(replacementKey);
            try
            {
                record(ring);
            }
            catch
            {
                WriteBytes(previous);
                if (previousKey is null)
                {
                    UnlockedKeys.TryRemove(Path, out _);
                }
                else
                {
                    Remember(previousKey);
                }
                throw;
            }
        }

        // A key replaced here may still be in use by another runspace's command, so it is not wiped now; Lock-CtKeyStore,
        // the unlock timeout or Remove-Module wipe the one that is current then.
        private void Remember(PassphraseKey key) => UnlockedKeys[Path] = key;

        private void Write(KeyRing ring, PassphraseKey key) => WriteBytes(new UTF8Encoding(false).GetBytes(KeyFileFormat.Write(ring, key)));

        private void WriteBytes(byte[] bytes)
        {
            if (bytes.Length > KeyFileFormat.MaxLength)
            {
                throw new CtException(ErrorIds.KeyStoreUnavailable, CtErrorKind.WriteError,
                    $"The key ring no longer fits in the key file '{Path}' ({bytes.Length} bytes, at most {KeyFileFormat.MaxLength}); it was not saved. Move it to another key store (Set-CtConfig -KeyStore).", Path);
            }
            var folder = System.IO.Path.GetDirectoryName(Path)!;
            var temporary = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(Path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                PrivateFile.Check(Path);
                if (!PrivateFile.CreateNew(temporary))
                {
                    throw new IOException($"The temporary file '{temporary}' exists already.");
                }
                using (var stream = PrivateFile.Open(temporary, FileAccess.Write, FileShare.None))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(flushToDisk: true);
                }
                AtomicFile.Replace(temporary, Path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                TryDelete(temporary);
                throw new CtException(ErrorIds.KeyStoreUnavailable, CtErrorKind.WriteError,
                    $"The key file '{Path}' cannot be written: {e.Message}", Path, e);
            }
        }

        private PassphraseKey RequireUnlockedKey()
        {
            if (UnlockedKeys.TryGetValue(Path, out var key))
            {
                return key;
            }
            throw new CtException(ErrorIds.KeyStoreLocked, CtErrorKind.SecurityError,
                $"The key file '{Path}' is locked. Unlock it for this session with Unlock-CtKeyStore -Password <SecureString>.", Path);
        }

        private KeyFileFormat.Header ReadHeader() => ParseHeader(ReadFile());

        private KeyFileFormat.Header ParseHeader(byte[] file) => KeyFileFormat.ReadHeader(KeyFileFormat.Decode(file), Path);

        private byte[] ReadFile()
        {
            // A link or another user's file is refused before its mode is looked at (which would follow the link).
            PrivateFile.Check(Path);
            if (FilePermissions.IsReadableByOthers(Path))
            {
                var fix = RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                    ? $"Remove every other account from its access list (icacls \"{Path}\" /inheritance:r /grant:r \"%USERNAME%:F\")."
                    : $"Run: chmod 600 '{Path}'";
                throw new CtException(ErrorIds.KeyFileInsecure, CtErrorKind.SecurityError,
                    $"The key file '{Path}' can be read by other users (mode {FilePermissions.Describe(Path)}), so it is not trusted. {fix}", Path);
            }
            byte[] bytes;
            try
            {
                using var stream = PrivateFile.Open(Path, FileAccess.Read, FileShare.Read);
                bytes = PrivateFile.ReadPrefix(stream, KeyFileFormat.MaxLength + 1);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CtException(ErrorIds.KeyStoreUnavailable, CtErrorKind.ResourceUnavailable,
                    $"The key file '{Path}' cannot be read: {e.Message}", Path, e);
            }
            if (bytes.Length > KeyFileFormat.MaxLength)
            {
                throw KeyFileFormat.TooLarge(Path);
            }
            return bytes;
        }

        private KeyRing Decrypt(KeyFileFormat.Header header, PassphraseKey key, string wrongKeyErrorId, string wrongKeyMessage)
        {
            byte[] json;
            try
            {
                json = Fernet.Decrypt(key.Key, header.Token);
            }
            catch (InvalidFernetTokenException e)
            {
                throw new CtException(wrongKeyErrorId, CtErrorKind.SecurityError, wrongKeyMessage, Path, e);
            }
            try
            {
                return KeyRing.Deserialize(Encoding.UTF8.GetString(json));
            }
            catch (InvalidKeyRingException e)
            {
                throw new CtException(ErrorIds.KeyRingInvalid, CtErrorKind.InvalidData,
                    $"The key file '{Path}' decrypts but holds no valid key ring ({e.Message}).", Path, e);
            }
            finally
            {
                Array.Clear(json, 0, json.Length);
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
