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

        /// <summary>Creates the folder if needed and makes sure only the current user can enter it.</summary>
        public DataHome EnsureCreated()
        {
            try
            {
                if (!Directory.Exists(Path))
                {
                    Directory.CreateDirectory(Path);
                }
                FilePermissions.RestrictDirectoryToOwner(Path);
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
