using System.Collections.Generic;

namespace CryptoTrader.Core.Security
{
    /// <summary>
    /// The data folder and the module's files in it are the current user's own and private to them: another user's folder
    /// or file, or a link where a file should be, is High (CryptoTrader refuses such a folder: DataFolderInsecure); group or
    /// other access is High, Critical for the key file.
    /// </summary>
    public sealed class FilePermissionsCheck : ISecurityCheck
    {
        public const string CheckName = "FilePermissions";

        public string Name => CheckName;

        public IEnumerable<SecurityFinding> Run(SecurityContext context) => Findings(context.Home.Path, context.Paths);

        /// <summary>The findings for the paths of the data folder at <paramref name="home"/>, without a database (it may not open).</summary>
        public static IEnumerable<SecurityFinding> Findings(string home, IReadOnlyList<PathAccess> paths)
        {
            var problems = 0;
            foreach (var path in paths)
            {
                if (path.Refusal != null)
                {
                    problems++;
                    yield return new SecurityFinding(SecuritySeverity.High, CheckName, path.Path,
                        $"The {path.Role} {path.Refusal}. CryptoTrader refuses to use the data folder like this (DataFolderInsecure).",
                        path.RefusalFix ?? string.Empty);
                }
                else if (path.NotChecked != null)
                {
                    yield return new SecurityFinding(SecuritySeverity.Info, CheckName, path.Path, $"The {path.Role} was not checked: {path.NotChecked}.", string.Empty);
                }
                else if (path.OthersHaveAccess == true)
                {
                    problems++;
                    yield return Exposed(path);
                }
            }
            if (problems == 0)
            {
                yield return new SecurityFinding(SecuritySeverity.Info, CheckName, home,
                    "The data folder and its files are yours and private to you (folder 0700, files 0600 on Unix), and none is a link.", string.Empty);
            }
        }

        private static SecurityFinding Exposed(PathAccess path)
        {
            var isFolder = path.Role == "data folder";
            var wanted = isFolder ? "0700" : "0600";
            var fix = path.Mode == "acl"
                ? $"Give only your own account access to '{path.Path}' (remove the other entries from its ACL)."
                : $"chmod {wanted.Substring(1)} '{path.Path}'.";
            if (path.Role == "key file")
            {
                return new SecurityFinding(SecuritySeverity.Critical, CheckName, path.Path,
                    $"The key file is accessible to other users (mode {path.Mode}): they can copy it and guess the passphrase offline. CryptoTrader refuses to use it like this.",
                    fix + " Then change the passphrase or rotate the key ring (Update-CtEncryptionKey), since a copy may exist.");
            }
            return new SecurityFinding(SecuritySeverity.High, CheckName, path.Path,
                $"The {path.Role} was accessible to other users (mode {path.Mode}, expected {wanted}). CryptoTrader makes it private whenever it opens the data folder, so find out what widened it: a copy, a restore, a umask.",
                fix);
        }
    }
}
