using System;
using System.IO;

namespace CryptoTrader.Core.Tests
{
    /// <summary>Locates the repository root and the shared folder (its sibling) from the test binaries.</summary>
    public static class TestPaths
    {
        public const string SharedDirectoryVariable = "CRYPTOTRADER_SHARED_DIR";

        private static readonly Lazy<string> Root = new Lazy<string>(FindRepositoryRoot);

        /// <summary>The directory holding CryptoTrader.sln.</summary>
        public static string RepositoryRoot => Root.Value;

        /// <summary><c>$CRYPTOTRADER_SHARED_DIR</c> if set, else <c>&lt;repository root&gt;/../shared</c>.</summary>
        public static string SharedDirectory
        {
            get
            {
                string? overridden = Environment.GetEnvironmentVariable(SharedDirectoryVariable);
                return string.IsNullOrEmpty(overridden)
                    ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"))
                    : Path.GetFullPath(overridden);
            }
        }

        /// <summary>The Fernet spec's vectors in the shared folder when there is one, else the repository's copy of them.</summary>
        public static string FernetVectorsDirectory => Directory.Exists(SharedFernetVectorsDirectory) ? SharedFernetVectorsDirectory : FernetVectorsCopyDirectory;

        public static string SharedFernetVectorsDirectory => Path.Combine(SharedDirectory, "conformance", "fernet");

        public static string FernetVectorsCopyDirectory => Path.Combine(RepositoryRoot, "tests", "fixtures", "fernet");

        private static string FindRepositoryRoot()
        {
            for (DirectoryInfo? directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "CryptoTrader.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("No directory containing CryptoTrader.sln above " + AppContext.BaseDirectory + ".");
        }
    }
}
