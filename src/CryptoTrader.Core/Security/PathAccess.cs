using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Security
{
    /// <summary>Who besides the owner may use one of the data folder's paths, and whether it is the user's own, as found at one moment.</summary>
    public sealed class PathAccess
    {
        public PathAccess(string role, string path, bool exists, bool? othersHaveAccess, string mode, string? notChecked = null)
        {
            Role = role;
            Path = path;
            Exists = exists;
            OthersHaveAccess = othersHaveAccess;
            Mode = mode;
            NotChecked = notChecked;
        }

        /// <summary>What the path is for people: "data folder", "database", "key file", ...</summary>
        public string Role { get; }

        public string Path { get; }

        public bool Exists { get; }

        /// <summary>True when group or others (Unix) or another account (Windows ACL) have any access; null when not checked.</summary>
        public bool? OthersHaveAccess { get; }

        /// <summary>"0755" on Unix, "acl" on Windows, empty when absent or not checked.</summary>
        public string Mode { get; }

        /// <summary>Why the path was not checked, when it was not.</summary>
        public string? NotChecked { get; }

        /// <summary>
        /// Why CryptoTrader refuses the data folder because of this path (it belongs to another user, or a link or something
        /// other than a regular file is where a file should be): the clause after the path; null when there is no such problem.
        /// </summary>
        public string? Refusal { get; private set; }

        /// <summary>What to do about <see cref="Refusal"/>; null without one.</summary>
        public string? RefusalFix { get; private set; }

        /// <summary>
        /// The data folder and every file in it that the module keeps private. Reads modes and owners only: call it before
        /// opening the database, which tightens the folder and the database files (and refuses what this reports as a refusal).
        /// </summary>
        public static IReadOnlyList<PathAccess> Inspect(DataHome home)
        {
            var database = home.DatabasePath;
            return new List<PathAccess>
            {
                InspectFolder(home.Path),
                InspectFile("database", database),
                InspectFile("database write-ahead log", database + "-wal"),
                InspectFile("database shared memory", database + "-shm"),
                InspectFile("key file", home.KeyFilePath),
                InspectFile("key ring lock file", home.KeyRingLockPath),
                InspectFile("audit head file", home.AuditHeadPath),
            };
        }

        /// <summary>True when CryptoTrader will not open the data folder these paths were read from (DataFolderInsecure).</summary>
        public static bool AnyRefused(IEnumerable<PathAccess> paths) => paths.Any(p => p.Refusal != null);

        private static PathAccess InspectFolder(string path)
        {
            var facts = Facts("data folder", path, followLinks: true, out var unreadable);
            if (facts is null || !facts.Exists)
            {
                return unreadable ?? new PathAccess("data folder", path, false, null, string.Empty);
            }
            PathAccess access;
            if (FilePermissions.IsWindows)
            {
                access = new PathAccess("data folder", path, true, null, string.Empty,
                    "Windows: the folder's ACL is not inspected here; CryptoTrader replaces it with a current-user-only ACL whenever it opens the folder");
            }
            else
            {
                access = new PathAccess("data folder", path, true, FilePermissions.IsReadableByOthers(path), FilePermissions.Describe(path));
            }
            return access.With(facts.AsFolder());
        }

        private static PathAccess InspectFile(string role, string path)
        {
            var facts = Facts(role, path, followLinks: false, out var unreadable);
            if (facts is null || !facts.Exists)
            {
                return unreadable ?? new PathAccess(role, path, false, null, string.Empty);
            }
            if (facts.AsFile() is { } problem)
            {
                // Its mode is not read: for a link that would be its target's.
                return new PathAccess(role, path, true, null, string.Empty).With(problem);
            }
            try
            {
                return new PathAccess(role, path, true, FilePermissions.IsReadableByOthers(path), FilePermissions.Describe(path));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return new PathAccess(role, path, true, null, string.Empty, "its permissions could not be read: " + e.Message);
            }
        }

        private static PathFacts? Facts(string role, string path, bool followLinks, out PathAccess? unreadable)
        {
            unreadable = null;
            try
            {
                return PathFacts.Of(path, followLinks);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                unreadable = new PathAccess(role, path, true, null, string.Empty, "it could not be inspected: " + e.Message);
                return null;
            }
        }

        private PathAccess With(PathProblem? problem)
        {
            Refusal = problem?.What;
            RefusalFix = problem?.Fix;
            return this;
        }
    }
}
