using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Security
{
    /// <summary>Who besides the owner may use one of the data folder's paths, as found at one moment.</summary>
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
        /// The data folder and every file in it that the module keeps private. Reads modes only: call it before
        /// opening the database, which tightens the folder and the database files.
        /// </summary>
        public static IReadOnlyList<PathAccess> Inspect(DataHome home)
        {
            var database = home.DatabasePath;
            var list = new List<PathAccess> { InspectFolder(home.Path) };
            list.Add(InspectFile("database", database));
            list.Add(InspectFile("database write-ahead log", database + "-wal"));
            list.Add(InspectFile("database shared memory", database + "-shm"));
            list.Add(InspectFile("key file", home.KeyFilePath));
            list.Add(InspectFile("audit head file", System.IO.Path.Combine(home.Path, AuditHeadFile.FileName)));
            return list;
        }

        private static PathAccess InspectFolder(string path)
        {
            if (!Directory.Exists(path))
            {
                return new PathAccess("data folder", path, false, null, string.Empty);
            }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return new PathAccess("data folder", path, true, null, string.Empty,
                    "Windows: the folder's ACL is not inspected here; CryptoTrader replaces it with a current-user-only ACL whenever it opens the folder");
            }
            return new PathAccess("data folder", path, true, FilePermissions.IsReadableByOthers(path), FilePermissions.Describe(path));
        }

        private static PathAccess InspectFile(string role, string path)
        {
            if (!File.Exists(path))
            {
                return new PathAccess(role, path, false, null, string.Empty);
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
    }
}
