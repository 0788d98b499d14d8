using System.IO;

namespace CryptoTrader.Core.Storage
{
    /// <summary>
    /// The module's own files in its data folder (the database and its -wal and -shm, audit.head, keyring.key,
    /// keyring.lock, temporary files): created private from their first instant, never a link, never another user's,
    /// 0600 on Unix. Each use checks the path first; a file opened by path is then checked to be the file the path names
    /// without following anything, so a link put there in between is caught before anything is read or written through it.
    /// </summary>
    internal static class PrivateFile
    {
        private const int OpenAttempts = 3;

        /// <summary>Creates an empty file only the owner can use, from its first instant; false when the path is taken (a file or a link).</summary>
        public static bool CreateNew(string path)
        {
            if (FilePermissions.IsWindows)
            {
                // The data folder's ACL (current user only, inherited) applies from creation; the file's own is set as well.
                try
                {
                    using (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
                    {
                    }
                }
                catch (IOException) when (File.Exists(path))
                {
                    return false;
                }
                FilePermissions.RestrictFileToOwner(path);
                return true;
            }
            if (!UnixMode.CreateFile(path, UnixMode.OwnerFile))
            {
                return false;
            }
            // A umask that takes owner bits away (0277, say) leaves it private but unusable to the module.
            if (UnixMode.Get(path) != UnixMode.OwnerFile)
            {
                UnixMode.SetWithoutFollowing(path, UnixMode.OwnerFile);
            }
            return true;
        }

        /// <summary>
        /// Refuses (DataFolderInsecure) a link, anything but a regular file, or another user's file at <paramref name="path"/>,
        /// without following or changing it. False when nothing is there.
        /// </summary>
        public static bool Check(string path) => Inspect(path).Exists;

        /// <summary><see cref="Check"/>, then makes the file 0600 (Unix) or current-user only (Windows) if it is not. False when nothing is there.</summary>
        public static bool Secure(string path)
        {
            var facts = Inspect(path);
            if (!facts.Exists)
            {
                return false;
            }
            if (FilePermissions.IsWindows)
            {
                if (FilePermissions.IsReadableByOthers(path))
                {
                    FilePermissions.RestrictFileToOwner(path);
                }
            }
            else if (facts.Mode != UnixMode.OwnerFile && !UnixMode.SetWithoutFollowing(path, UnixMode.OwnerFile))
            {
                // A link appeared since it was checked: check again, which refuses it.
                Check(path);
            }
            return true;
        }

        /// <summary>
        /// Opens the existing file at <paramref name="path"/> (FileNotFoundException when there is none) after <see cref="Secure"/>,
        /// with the sharing the caller's locking needs. On Unix the open file must then be the file the path names itself:
        /// a path that changed meanwhile is opened again (another process may have renamed a new file into place), and one
        /// that keeps changing, or a file that is not a regular file of the current user's, is refused (DataFolderInsecure).
        /// </summary>
        public static FileStream Open(string path, FileAccess access, FileShare share)
        {
            for (var attempt = 1; ; attempt++)
            {
                if (!Secure(path))
                {
                    throw new FileNotFoundException($"Could not find file '{path}'.", path);
                }
                var stream = new FileStream(path, FileMode.Open, access, share);
                if (FilePermissions.IsWindows)
                {
                    return stream;
                }
                try
                {
                    var opened = UnixFileStatus.OfOpenFile(stream.SafeFileHandle, path);
                    var named = UnixFileStatus.OfPath(path, followLinks: false);
                    if (named != null && opened.IsSameFileAs(named))
                    {
                        if (opened.Kind == UnixFileKind.RegularFile && opened.Owner == UnixFileStatus.CurrentUser)
                        {
                            return stream;
                        }
                        Check(path);
                    }
                    if (attempt == OpenAttempts)
                    {
                        throw new PathProblem(path, "kept changing while CryptoTrader opened it (replaced, or a link put in its place)",
                            "Find out which program changes it; only CryptoTrader should write in its data folder.").Refusal(FolderOf(path));
                    }
                }
                catch
                {
                    stream.Dispose();
                    throw;
                }
                stream.Dispose();
            }
        }

        /// <summary>
        /// At most <paramref name="count"/> bytes from the start of the stream, however long it is (or claims to be): the
        /// buffer grows with what is actually read, so a short file costs little and an endless one no more than the bound.
        /// </summary>
        public static byte[] ReadPrefix(Stream stream, int count)
        {
            stream.Position = 0;
            var bytes = new byte[System.Math.Min(count, 8192)];
            var read = 0;
            while (read < count)
            {
                if (read == bytes.Length)
                {
                    System.Array.Resize(ref bytes, (int)System.Math.Min(count, 2L * bytes.Length));
                }
                var n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            System.Array.Resize(ref bytes, read);
            return bytes;
        }

        private static PathFacts Inspect(string path)
        {
            var facts = PathFacts.Of(path, followLinks: false);
            if (facts.AsFile() is { } problem)
            {
                throw problem.Refusal(FolderOf(path));
            }
            return facts;
        }

        private static string FolderOf(string path) => System.IO.Path.GetDirectoryName(path) ?? path;
    }
}
