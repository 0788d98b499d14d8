using System;
using System.IO;
using System.Runtime.InteropServices;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Storage
{
    /// <summary>
    /// The folder that holds the database and the key file: <c>CRYPTOTRADER_HOME</c> when set,
    /// else <c>~/.cryptotrader</c> (Unix) or <c>%LOCALAPPDATA%\CryptoTrader</c> (Windows).
    /// </summary>
    public sealed class DataHome
    {
        public const string EnvironmentVariable = "CRYPTOTRADER_HOME";
        public const string DatabaseFileName = "cryptotrader.db";
        public const string KeyFileName = "keyring.key";
        public const string AuditHeadFileName = "audit.head";
        private const string KeyRingLockFileName = "keyring.lock";

        private DataHome(string path, string source)
        {
            Path = path;
            Source = source;
        }

        public string Path { get; }

        /// <summary>Why this folder was chosen (environment variable or per-user default).</summary>
        public string Source { get; }

        public string DatabasePath => System.IO.Path.Combine(Path, DatabaseFileName);

        public string KeyFilePath => System.IO.Path.Combine(Path, KeyFileName);

        public string KeyRingLockPath => System.IO.Path.Combine(Path, KeyRingLockFileName);

        public string AuditHeadPath => System.IO.Path.Combine(Path, AuditHeadFileName);

        /// <summary>Every file the module keeps in the folder, the database's -wal and -shm included.</summary>
        public string[] Files => new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm", AuditHeadPath, KeyFilePath, KeyRingLockPath };

        public static DataHome Resolve()
        {
            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return new DataHome(System.IO.Path.GetFullPath(configured), EnvironmentVariable);
            }
            return new DataHome(DefaultPath(), "per-user default");
        }

        public static DataHome At(string path) => new DataHome(System.IO.Path.GetFullPath(path), "explicit path");

        /// <summary>
        /// Creates the folder if needed (0700 from the start on Unix) and makes sure it is the current user's own and private:
        /// a folder that belongs to someone else, or a link, another user's file or anything but a regular file where one of
        /// the module's files should be, is refused (DataFolderInsecure) before anything is changed there. Then the folder is
        /// made 0700 and each file found 0600, except the key file, whose mode is judged when it is read (KeyFileInsecure).
        /// </summary>
        /// <remarks>
        /// The folder itself may be reached through a link (it is followed: moving the folder to another disk and linking it
        /// is common); what must be the user's own is the folder it leads to. Its parent folders are trusted.
        /// </remarks>
        public DataHome EnsureCreated()
        {
            try
            {
                if (!Directory.Exists(Path))
                {
                    FilePermissions.CreatePrivateDirectory(Path);
                }
                var folder = PathFacts.Of(Path, followLinks: true);
                if (!folder.IsDirectory)
                {
                    throw new IOException($"'{Path}' is not a folder.");
                }
                if (folder.AsFolder() is { } problem)
                {
                    throw problem.Refusal(Path);
                }
                FilePermissions.RestrictDirectoryToOwner(Path);
                foreach (var file in Files)
                {
                    if (file == KeyFilePath)
                    {
                        PrivateFile.Check(file);
                    }
                    else
                    {
                        PrivateFile.Secure(file);
                    }
                }
                return this;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CtException(ErrorIds.DataFolderUnavailable, CtErrorKind.ResourceUnavailable,
                    $"The data folder '{Path}' cannot be created or secured: {e.Message} Set {EnvironmentVariable} to a folder you own.",
                    Path, e);
            }
        }

        private static string DefaultPath()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "CryptoTrader");
            }
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }
            return System.IO.Path.Combine(home, ".cryptotrader");
        }
    }
}
