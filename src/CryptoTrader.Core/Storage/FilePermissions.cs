using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.AccessControl;
using System.Security.Principal;

namespace CryptoTrader.Core.Storage
{
    /// <summary>
    /// Keeps the data folder and its files private to the current user:
    /// mode 0700/0600 on Unix, an ACL with only the current user on Windows.
    /// </summary>
    public static class FilePermissions
    {
#if NET
        [System.Runtime.Versioning.SupportedOSPlatformGuard("windows")]
        internal static bool IsWindows => OperatingSystem.IsWindows();
#else
        internal static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
#endif

        public static void RestrictDirectoryToOwner(string path)
        {
            if (IsWindows)
            {
                var security = new DirectorySecurity();
                security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
                security.AddAccessRule(new FileSystemAccessRule(CurrentUser, FileSystemRights.FullControl,
                    InheritanceFlags.ContainerInherit | InheritanceFlags.ObjectInherit, PropagationFlags.None, AccessControlType.Allow));
                SetDirectoryAcl(path, security);
                return;
            }
            UnixMode.Set(path, UnixMode.OwnerDirectory);
        }

        /// <summary>Makes the file 0600 (Unix) or current-user only (Windows ACL); a link there is refused, never followed.</summary>
        public static void RestrictFileToOwner(string path)
        {
            if (IsWindows)
            {
                var security = new FileSecurity();
                security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
                security.AddAccessRule(new FileSystemAccessRule(CurrentUser, FileSystemRights.FullControl, AccessControlType.Allow));
                SetFileAcl(path, security);
                return;
            }
            if (!UnixMode.SetWithoutFollowing(path, UnixMode.OwnerFile))
            {
                throw new IOException($"Could not change the permissions of '{path}': it is a symbolic link, which is not followed.");
            }
        }

        /// <summary>
        /// Creates an empty file that only the owner can use, from its first instant (0600 on Unix whatever the umask:
        /// O_CREAT|O_EXCL with that mode, which never follows a link), unless the path is taken already.
        /// </summary>
        public static void CreatePrivateFile(string path) => PrivateFile.CreateNew(path);

        /// <summary>Creates a folder only the owner can use (0700 on Unix from its first instant), and its parents as needed.</summary>
        public static void CreatePrivateDirectory(string path)
        {
            if (IsWindows)
            {
                Directory.CreateDirectory(path);
                RestrictDirectoryToOwner(path);
                return;
            }
            var parent = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(parent))
            {
                Directory.CreateDirectory(parent);
            }
            UnixMode.CreateDirectory(path, UnixMode.OwnerDirectory);
        }

        /// <summary>True when anyone other than the owner (and, on Windows, SYSTEM and Administrators) may read the file.</summary>
        public static bool IsReadableByOthers(string path)
        {
            if (IsWindows)
            {
                return WindowsAclGrantsOthers(path);
            }
            return (UnixMode.Get(path) & UnixMode.GroupOrOtherAccess) != 0;
        }

        /// <summary>The permission bits as an octal string such as "0600" (Unix) or "acl" on Windows.</summary>
        public static string Describe(string path) => IsWindows ? "acl" : "0" + Convert.ToString(UnixMode.Get(path), 8);

#if NET
        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
#endif
        internal static SecurityIdentifier CurrentUser => WindowsIdentity.GetCurrent().User!;

        /// <summary>The owner of a file or folder; null when it has none that is a SID.</summary>
#if NET
        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
#endif
        internal static SecurityIdentifier? WindowsOwner(string path, bool isDirectory)
        {
            ObjectSecurity security = isDirectory ? GetDirectoryAcl(path) : GetFileAcl(path);
            return security.GetOwner(typeof(SecurityIdentifier)) as SecurityIdentifier;
        }

        /// <summary>DOMAIN\user for a SID, or the SID itself when it has no name.</summary>
#if NET
        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
#endif
        internal static string AccountName(SecurityIdentifier sid)
        {
            try
            {
                return sid.Translate(typeof(NTAccount)).Value;
            }
            catch (IdentityNotMappedException)
            {
                return sid.Value;
            }
        }

#if NET
        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
#endif
        private static bool WindowsAclGrantsOthers(string path)
        {
            var security = GetFileAcl(path);
            var allowed = new[]
            {
                CurrentUser,
                new SecurityIdentifier(WellKnownSidType.LocalSystemSid, null),
                new SecurityIdentifier(WellKnownSidType.BuiltinAdministratorsSid, null),
            };
            foreach (FileSystemAccessRule rule in security.GetAccessRules(true, true, typeof(SecurityIdentifier)))
            {
                if (rule.AccessControlType == AccessControlType.Allow && Array.IndexOf(allowed, rule.IdentityReference) < 0)
                {
                    return true;
                }
            }
            return false;
        }

#if NET
        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
        private static void SetDirectoryAcl(string path, DirectorySecurity security) => new DirectoryInfo(path).SetAccessControl(security);

        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
        private static void SetFileAcl(string path, FileSecurity security) => new FileInfo(path).SetAccessControl(security);

        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
        private static FileSecurity GetFileAcl(string path) => new FileInfo(path).GetAccessControl();

        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
        private static DirectorySecurity GetDirectoryAcl(string path) => new DirectoryInfo(path).GetAccessControl();
#else
        private static void SetDirectoryAcl(string path, DirectorySecurity security) => Directory.SetAccessControl(path, security);

        private static void SetFileAcl(string path, FileSecurity security) => File.SetAccessControl(path, security);

        private static FileSecurity GetFileAcl(string path) => File.GetAccessControl(path);

        private static DirectorySecurity GetDirectoryAcl(string path) => Directory.GetAccessControl(path);
#endif
    }
}
