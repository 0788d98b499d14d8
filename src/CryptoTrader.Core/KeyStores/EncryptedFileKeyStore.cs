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
        public const int MinimumPassphraseLength = 8;

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

        public static void Lock(string path) => UnlockedKeys.TryRemove(System.IO.Path.GetFullPath(path), out _);

        /// <summary>
        /// Opens the key file with the passphrase and keeps its key for the session. When there is no key file yet,
        /// the passphrase becomes the passphrase of the file that the next <see cref="Save"/> creates.
        /// Returns the stored key ring, or null when the file does not exist yet.
        /// </summary>
        public KeyRing? Unlock(char[] passphrase)
        {
            if (!Exists)
            {
                if (passphrase.Length < MinimumPassphraseLength)
                {
                    throw new CtException(ErrorIds.WeakPassphrase, CtErrorKind.InvalidArgument,
                        $"The passphrase for a new key file must have at least {MinimumPassphraseLength} characters.", Path);
                }
                UnlockedKeys[Path] = PassphraseKey.DeriveNew(passphrase);
                return null;
            }
            var header = ReadHeader();
            var key = PassphraseKey.Derive(passphrase, header.Salt, header.Iterations);
            var ring = Decrypt(header, key, wrongKeyErrorId: ErrorIds.WrongPassphrase,
                wrongKeyMessage: $"The passphrase for the key file '{Path}' is wrong. Try again with Unlock-CtKeyStore.");
            UnlockedKeys[Path] = key;
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

        public void Save(KeyRing ring)
        {
            var key = RequireUnlockedKey();
            var bytes = new UTF8Encoding(false).GetBytes(KeyFileFormat.Write(ring, key));
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
                $"The key file '{Path}' is locked. Run Unlock-CtKeyStore -Password (Read-Host -AsSecureString) to unlock it for this session.", Path);
        }

        private KeyFileFormat.Header ReadHeader()
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
            return KeyFileFormat.ReadHeader(KeyFileFormat.Decode(bytes), Path);
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
