using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Storage
{
    /// <summary>Why a path in the data folder is not safe to use, and what to do about it.</summary>
    internal sealed class PathProblem
    {
        public PathProblem(string path, string what, string fix)
        {
            Path = path;
            What = what;
            Fix = fix;
        }

        public string Path { get; }

        /// <summary>A clause after the path: "is a symbolic link to ...", "belongs to uid 65534, ...".</summary>
        public string What { get; }

        public string Fix { get; }

        /// <summary>DataFolderInsecure: the module will not use the data folder while this holds.</summary>
        public CtException Refusal(string dataFolder) =>
            new CtException(ErrorIds.DataFolderInsecure, CtErrorKind.SecurityError,
                (Path == dataFolder ? $"CryptoTrader will not use the data folder '{Path}': it {What}. "
                    : $"CryptoTrader will not use the data folder '{dataFolder}': '{Path}' {What}. ") + Fix, Path);
    }
}
