using System;
using System.IO;

namespace CryptoTrader.Core.Storage
{
    /// <summary>
    /// What the module must know about a path in its data folder before it uses it: whether something is there, whether it
    /// is a link, a file or a folder, and whether it belongs to the user running the module (Unix: the effective uid;
    /// Windows: the owner SID).
    /// </summary>
    internal sealed class PathFacts
    {
        private readonly Lazy<string> owner;
        private readonly Lazy<string> currentUser;

        // The names are for messages only, and on Windows looking one up may ask a domain controller: done when needed.
        private PathFacts(string path, bool exists, bool isLink, bool isDirectory, bool isRegularFile, Func<string> owner, Func<string> currentUser, bool owned, int mode)
        {
            Path = path;
            Exists = exists;
            IsLink = isLink;
            IsDirectory = isDirectory;
            IsRegularFile = isRegularFile;
            this.owner = new Lazy<string>(owner);
            this.currentUser = new Lazy<string>(currentUser);
            OwnedByCurrentUser = owned;
            Mode = mode;
        }

        public string Path { get; }

        public bool Exists { get; }

        public bool IsLink { get; }

        public bool IsDirectory { get; }

        public bool IsRegularFile { get; }

        /// <summary>Who owns it: "uid 65534" on Unix, the account (or SID) on Windows.</summary>
        public string Owner => owner.Value;

        /// <summary>Who runs the module, in the same terms as <see cref="Owner"/>.</summary>
        public string CurrentUser => currentUser.Value;

        public bool OwnedByCurrentUser { get; }

        /// <summary>The permission bits on Unix (of the link itself for a link); 0 on Windows.</summary>
        public int Mode { get; }

        /// <summary>The facts of <paramref name="path"/>; of a link itself unless <paramref name="followLinks"/>.</summary>
        public static PathFacts Of(string path, bool followLinks)
        {
            if (FilePermissions.IsWindows)
            {
                return OfWindowsPath(path, followLinks);
            }
            var status = UnixFileStatus.OfPath(path, followLinks);
            var me = UnixFileStatus.CurrentUser;
            if (status is null)
            {
                return Missing(path, () => "uid " + me);
            }
            var uid = status.Owner;
            return new PathFacts(path, true, status.Kind == UnixFileKind.SymbolicLink, status.Kind == UnixFileKind.Directory,
                status.Kind == UnixFileKind.RegularFile, () => "uid " + uid, () => "uid " + me, uid == me, status.Mode);
        }

        /// <summary>Why the module must not use this path as its data folder; null when it may (or nothing is there yet).</summary>
        public PathProblem? AsFolder()
        {
            if (!Exists || OwnedByCurrentUser)
            {
                return null;
            }
            var takeBack = FilePermissions.IsWindows
                ? $"take ownership of it (takeown /F \"{Path}\" /R /D Y)"
                : $"take it back (sudo chown -R \"$(id -u):$(id -g)\" '{Path}')";
            return new PathProblem(Path, $"belongs to {Owner}, not to {CurrentUser}, who runs CryptoTrader: its owner could replace the files CryptoTrader keeps there",
                $"If the folder is yours, check what is in it and {takeBack}; otherwise set {DataHome.EnvironmentVariable} to a folder of your own.");
        }

        /// <summary>Why the module must not use this path as one of its files; null when it may (or nothing is there yet).</summary>
        public PathProblem? AsFile()
        {
            if (!Exists)
            {
                return null;
            }
            if (IsLink)
            {
                var target = FilePermissions.IsWindows ? string.Empty : UnixFileStatus.LinkTarget(Path);
                return new PathProblem(Path, $"is a symbolic link{(target.Length > 0 ? $" to '{target}'" : string.Empty)}, and CryptoTrader never follows a link in its data folder",
                    "Remove the link and put the file itself in its place (from a backup if need be).");
            }
            if (!IsRegularFile)
            {
                return new PathProblem(Path, "is not a regular file", "Remove it: CryptoTrader keeps a regular file of its own there.");
            }
            if (!OwnedByCurrentUser)
            {
                var takeBack = FilePermissions.IsWindows ? $"takeown /F \"{Path}\"" : $"sudo chown \"$(id -u):$(id -g)\" '{Path}'";
                return new PathProblem(Path, $"belongs to {Owner}, not to {CurrentUser}, who runs CryptoTrader",
                    $"Find out how it got there; if it is yours, take it back ({takeBack}), otherwise restore it from a backup.");
            }
            return null;
        }

        private static PathFacts Missing(string path, Func<string> currentUser) => new PathFacts(path, false, false, false, false, () => string.Empty, currentUser, false, 0);

#if NET
        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
#endif
        private static PathFacts OfWindowsPath(string path, bool followLinks)
        {
            var me = FilePermissions.CurrentUser;
            FileAttributes attributes;
            try
            {
                attributes = File.GetAttributes(path);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                return Missing(path, () => FilePermissions.AccountName(me));
            }
            var isDirectory = (attributes & FileAttributes.Directory) != 0;
            var isLink = !followLinks && (attributes & FileAttributes.ReparsePoint) != 0;
            var owner = FilePermissions.WindowsOwner(path, isDirectory);
            return new PathFacts(path, true, isLink, isDirectory, !isDirectory && !isLink, () => owner is null ? "no one" : FilePermissions.AccountName(owner),
                () => FilePermissions.AccountName(me), owner != null && owner.Equals(me), 0);
        }
    }
}
