using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.InteropServices;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Crypto;

namespace CryptoTrader.Core.KeyStores.Keyring
{
    /// <summary>
    /// Windows Credential Manager generic credentials (CredWriteW / CredReadW / CredDeleteW), user-scoped.
    /// A credential blob is kept under 512 bytes (the limit of older Windows versions), so a larger secret
    /// is split into chained credentials: "&lt;target&gt;" holds the count of parts in its first byte and part 0,
    /// "&lt;target&gt;#1" ... "&lt;target&gt;#n-1" the rest. At most 255 parts (about 127 KB).
    /// </summary>
    public sealed class WindowsCredentialBackend : IKeyringBackend
    {
        internal const int PartSize = 500;
        internal const int MaxParts = 255;
        private const uint CredTypeGeneric = 1;
        private const uint CredPersistLocalMachine = 2;
        private const int ErrorNotFound = 1168;
        private const int ErrorNoSuchLogonSession = 1312;

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
            var first = ReadBlob(key.TargetName);
            if (first is null)
            {
                return null;
            }
            if (first.Length == 0 || first[0] == 0)
            {
                throw Unreadable(key, "the first part holds no part count");
            }
            var parts = new List<byte[]> { Slice(first, 1) };
            for (var i = 1; i < first[0]; i++)
            {
                parts.Add(ReadBlob(PartName(key, i)) ?? throw Unreadable(key, $"part {i} of {first[0]} is missing"));
            }
            return ByteArrays.Concat(parts);
        }

        public void Write(KeyringItemKey key, string label, byte[] secret)
        {
            RequireWindows();
            var chunks = Split(secret);
            if (chunks.Count > MaxParts)
            {
                throw new CtException(ErrorIds.KeyringItemTooLarge, CtErrorKind.InvalidData,
                    $"The secret ({secret.Length} bytes) is too large for the Windows Credential Manager store (at most {MaxParts} parts of {PartSize} bytes).",
                    key.TargetName);
            }
            var previous = PartCount(key);
            for (var i = chunks.Count - 1; i >= 0; i--)
            {
                var blob = i == 0 ? Prefix((byte)chunks.Count, chunks[0]) : chunks[i];
                WriteBlob(i == 0 ? key.TargetName : PartName(key, i), i == 0 ? label : label + " (part " + (i + 1) + ")", blob);
            }
            for (var i = chunks.Count; i < previous; i++)
            {
                DeleteBlob(PartName(key, i));
            }
        }

        public bool Delete(KeyringItemKey key)
        {
            RequireWindows();
            var count = PartCount(key);
            for (var i = 1; i < count; i++)
            {
                DeleteBlob(PartName(key, i));
            }
            return DeleteBlob(key.TargetName);
        }

        internal static List<byte[]> Split(byte[] secret)
        {
            var chunks = new List<byte[]>();
            for (var offset = 0; offset == 0 || offset < secret.Length; offset += PartSize)
            {
                var length = Math.Min(PartSize, secret.Length - offset);
                var chunk = new byte[length];
                Buffer.BlockCopy(secret, offset, chunk, 0, length);
                chunks.Add(chunk);
            }
            return chunks;
        }

        private static string PartName(KeyringItemKey key, int index) => key.TargetName + "#" + index;

        private int PartCount(KeyringItemKey key)
        {
            var first = ReadBlob(key.TargetName);
            return first is null || first.Length == 0 ? 0 : first[0];
        }

        private static byte[] Slice(byte[] bytes, int start)
        {
            var slice = new byte[bytes.Length - start];
            Buffer.BlockCopy(bytes, start, slice, 0, slice.Length);
            return slice;
        }

        private static byte[] Prefix(byte first, byte[] rest)
        {
            var bytes = new byte[rest.Length + 1];
            bytes[0] = first;
            Buffer.BlockCopy(rest, 0, bytes, 1, rest.Length);
            return bytes;
        }

        private static void RequireWindows()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                throw new CtException(ErrorIds.KeyringUnavailable, CtErrorKind.ResourceUnavailable,
                    "The Windows Credential Manager exists on Windows only.", "Windows Credential Manager");
            }
        }

        private static CtException Unreadable(KeyringItemKey key, string why) =>
            new CtException(ErrorIds.KeyringItemUnreadable, CtErrorKind.InvalidData,
                $"The Windows credential '{key.TargetName}' cannot be read: {why}.", key.TargetName);

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
