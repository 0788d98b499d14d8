using System.Collections.Generic;

namespace CryptoTrader.Core.Security
{
    /// <summary>The data folder, the database files, the key file and the audit head file are private to their owner.</summary>
    public sealed class FilePermissionsCheck : ISecurityCheck
    {
        public const string CheckName = "FilePermissions";

        public string Name => CheckName;

        public IEnumerable<SecurityFinding> Run(SecurityContext context)
        {
            var exposed = 0;
            foreach (var path in context.Paths)
            {
                if (path.NotChecked != null)
                {
                    yield return new SecurityFinding(SecuritySeverity.Info, Name, path.Path, $"The {path.Role} was not checked: {path.NotChecked}.", string.Empty);
                }
                else if (path.OthersHaveAccess == true)
                {
                    exposed++;
                    yield return Exposed(path);
                }
            }
            if (exposed == 0)
            {
                yield return new SecurityFinding(SecuritySeverity.Info, Name, context.Home.Path,
                    "The data folder and its files are private to their owner (folder 0700, files 0600 on Unix).", string.Empty);
            }
        }

        private SecurityFinding Exposed(PathAccess path)
        {
            var isFolder = path.Role == "data folder";
            var wanted = isFolder ? "0700" : "0600";
            var fix = path.Mode == "acl"
                ? $"Give only your own account access to '{path.Path}' (remove the other entries from its ACL)."
                : $"chmod {wanted.Substring(1)} '{path.Path}'.";
            if (path.Role == "key file")
            {
                return new SecurityFinding(SecuritySeverity.Critical, Name, path.Path,
                    $"The key file is accessible to other users (mode {path.Mode}): they can copy it and guess the passphrase offline. CryptoTrader refuses to use it like this.",
                    fix + " Then change the passphrase or rotate the key ring (Update-CtEncryptionKey), since a copy may exist.");
            }
            var tightened = path.Role.StartsWith("database") || isFolder
                ? " CryptoTrader tightens it when it opens the database (this run did), so find out what widened it: a copy, a restore, a umask."
                : string.Empty;
            return new SecurityFinding(SecuritySeverity.High, Name, path.Path,
                $"The {path.Role} was accessible to other users (mode {path.Mode}, expected {wanted}).{tightened}",
                fix);
        }
    }
}
