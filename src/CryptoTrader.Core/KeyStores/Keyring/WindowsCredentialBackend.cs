using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.KeyStores.Keyring
{
    /// <summary>
    /// Windows Credential Manager generic credentials (CredWriteW / CredReadW / CredDeleteW), user-scoped. A secret larger
    /// than one blob is kept as a generation of parts that a write completes before it switches the head credential to it
    /// (<see cref="CredentialGenerations"/>), so a reader never sees a mix of two key rings.
    /// </summary>
    public sealed class WindowsCredentialBackend : IKeyringBackend
    {
        private const uint CredTypeGeneric = 1;
        private const uint CredPersistLocalMachine = 2;
        private const int ErrorNotFound = 1168;
        private const int ErrorNoSuchLogonSession = 1312;
        private readonly CredentialGenerations generations = new CredentialGenerations(new Win32CredentialApi());

        public string Name => "Windows Credential Manager";

        public KeyringProbe Probe()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return new KeyringProbe(false, "the Windows Credential Manager exists on Windows only");
            }
            try
            {
                ReadBlob("CryptoTrader:probe");
                return new KeyringProbe(true, "the OS keyring (Windows Credential Manager) is available");
            }
            catch (CtException e)
            {
                return new KeyringProbe(false, "the OS keyring (Windows Credential Manager) is not usable: " + e.Message);
            }
        }

        public byte[]? Read(KeyringItemKey key)
        {
            RequireWindows();
            return generations.Read(key.TargetName);
        }

        public void Write(KeyringItemKey key, string label, byte[] secret)
        {
            RequireWindows();
            generations.Write(key.TargetName, label, secret);
        }

        public bool Delete(KeyringItemKey key)
        {
            RequireWindows();
            return generations.Delete(key.TargetName);
        }

        /// <summary>The real credential calls.</summary>
        private sealed class Win32CredentialApi : ICredentialApi
        {
            public byte[]? Read(string target) => ReadBlob(target);

            public void Write(string target, string label, byte[] blob) => WriteBlob(target, label, blob);

            public bool Delete(string target) => DeleteBlob(target);
        }

        private static void RequireWindows()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                throw new CtException(ErrorIds.KeyringUnavailable, CtErrorKind.ResourceUnavailable,
                    "The Windows Credential Manager exists on Windows only.", "Windows Credential Manager");
            }
        }

        private static CtException Failure(string what, string target, int error) =>
            error == ErrorNoSuchLogonSession
                ? new CtException(ErrorIds.KeyringUnavailable, CtErrorKind.ResourceUnavailable,
                    "The Windows Credential Manager is not available in this logon session (no user profile loaded, e.g. a service or network logon).", target)
                : new CtException(ErrorIds.KeyringFailed, CtErrorKind.ResourceUnavailable,
                    $"The Windows Credential Manager could not {what} '{target}': {new Win32Exception(error).Message} (error {error}).", target);

        private static byte[]? ReadBlob(string target)
        {
            if (!NativeMethods.CredReadW(target, CredTypeGeneric, 0, out var pointer))
            {
                var error = Marshal.GetLastWin32Error();
                if (error == ErrorNotFound)
                {
                    return null;
                }
                throw Failure("read", target, error);
            }
            try
            {
                var credential = Marshal.PtrToStructure<NativeMethods.Credential>(pointer);
                var blob = new byte[credential.CredentialBlobSize];
                if (blob.Length > 0)
                {
                    Marshal.Copy(credential.CredentialBlob, blob, 0, blob.Length);
                }
                return blob;
            }
            finally
            {
                NativeMethods.CredFree(pointer);
            }
        }

        private static void WriteBlob(string target, string label, byte[] blob)
        {
            var blobPointer = Marshal.AllocHGlobal(Math.Max(blob.Length, 1));
            var targetPointer = Marshal.StringToHGlobalUni(target);
            var commentPointer = Marshal.StringToHGlobalUni(label);
            var userPointer = Marshal.StringToHGlobalUni(Environment.UserName);
            try
            {
                Marshal.Copy(blob, 0, blobPointer, blob.Length);
                var credential = new NativeMethods.Credential
                {
                    Type = CredTypeGeneric,
                    TargetName = targetPointer,
                    Comment = commentPointer,
                    CredentialBlobSize = (uint)blob.Length,
                    CredentialBlob = blobPointer,
                    Persist = CredPersistLocalMachine,
                    UserName = userPointer,
                };
                if (!NativeMethods.CredWriteW(ref credential, 0))
                {
                    throw Failure("write", target, Marshal.GetLastWin32Error());
                }
            }
            finally
            {
                Marshal.Copy(new byte[blob.Length], 0, blobPointer, blob.Length);
                Marshal.FreeHGlobal(blobPointer);
                Marshal.FreeHGlobal(targetPointer);
                Marshal.FreeHGlobal(commentPointer);
                Marshal.FreeHGlobal(userPointer);
            }
        }

        private static bool DeleteBlob(string target)
        {
            if (NativeMethods.CredDeleteW(target, CredTypeGeneric, 0))
            {
                return true;
            }
            var error = Marshal.GetLastWin32Error();
            if (error == ErrorNotFound)
            {
                return false;
            }
            throw Failure("delete", target, error);
        }

        private static class NativeMethods
        {
            [StructLayout(LayoutKind.Sequential)]
            internal struct Credential
            {
                public uint Flags;
                public uint Type;
                public IntPtr TargetName;
                public IntPtr Comment;
                public uint LastWrittenLow;
                public uint LastWrittenHigh;
                public uint CredentialBlobSize;
                public IntPtr CredentialBlob;
                public uint Persist;
                public uint AttributeCount;
                public IntPtr Attributes;
                public IntPtr TargetAlias;
                public IntPtr UserName;
            }

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            internal static extern bool CredReadW(string target, uint type, uint flags, out IntPtr credential);

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            internal static extern bool CredWriteW(ref Credential credential, uint flags);

            [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            internal static extern bool CredDeleteW(string target, uint type, uint flags);

            [DllImport("advapi32.dll")]
            internal static extern void CredFree(IntPtr buffer);
        }
    }
}
