using System;
using System.Runtime.InteropServices;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.KeyStores.Keyring
{
    /// <summary>
    /// macOS Keychain generic passwords through Security.framework (SecItemAdd / SecItemCopyMatching /
    /// SecItemUpdate / SecItemDelete), service = the application attribute, account = the other attributes.
    /// Never shows UI: kSecUseAuthenticationUI = Fail, and errSecInteractionNotAllowed is the KeyringLocked error.
    /// </summary>
    public sealed class MacKeychainBackend : IKeyringBackend
    {
        private const int ErrSecSuccess = 0;
        private const int ErrSecItemNotFound = -25300;
        private const int ErrSecInteractionNotAllowed = -25308;
        private const int ErrSecAuthFailed = -25293;

        public string Name => "macOS Keychain";

        public KeyringProbe Probe()
        {
            try
            {
                Read(new KeyringItemKey(new System.Collections.Generic.Dictionary<string, string>
                {
                    [KeyringItemKey.ApplicationAttribute] = "CryptoTrader", ["probe"] = "1",
                }));
                return new KeyringProbe(true, "the OS keyring (macOS Keychain) is available and unlocked");
            }
            catch (CtException e)
            {
                return new KeyringProbe(false, "the OS keyring (macOS Keychain) is not usable: " + e.Message);
            }
        }

#if NET8_0_OR_GREATER
        public byte[]? Read(KeyringItemKey key)
        {
            using var query = Query(key);
            query.Set(Sec.Constant("kSecReturnData"), Sec.Constant("kCFBooleanTrue", Sec.CoreFoundationPath));
            query.Set(Sec.Constant("kSecMatchLimit"), Sec.Constant("kSecMatchLimitOne"));
            var status = Sec.SecItemCopyMatching(query.Handle, out var result);
            if (status == ErrSecItemNotFound)
            {
                return null;
            }
            Check(status, "read", key);
            try
            {
                var length = (int)Sec.CFDataGetLength(result);
                var bytes = new byte[length];
                Marshal.Copy(Sec.CFDataGetBytePtr(result), bytes, 0, length);
                return bytes;
            }
            finally
            {
                Sec.CFRelease(result);
            }
        }

        public void Write(KeyringItemKey key, string label, byte[] secret)
        {
            using var data = CfHandle.Data(secret);
            using var labelString = CfHandle.String(label);
            using (var query = Query(key))
            using (var update = CfHandle.Dictionary())
            {
                update.Set(Sec.Constant("kSecValueData"), data.Handle);
                update.Set(Sec.Constant("kSecAttrLabel"), labelString.Handle);
                var status = Sec.SecItemUpdate(query.Handle, update.Handle);
                if (status == ErrSecSuccess)
                {
                    return;
                }
                if (status != ErrSecItemNotFound)
                {
                    Check(status, "update", key);
                }
            }
            using var add = Query(key);
            add.Set(Sec.Constant("kSecValueData"), data.Handle);
            add.Set(Sec.Constant("kSecAttrLabel"), labelString.Handle);
            Check(Sec.SecItemAdd(add.Handle, IntPtr.Zero), "add", key);
        }

        public bool Delete(KeyringItemKey key)
        {
            using var query = Query(key);
            var status = Sec.SecItemDelete(query.Handle);
            if (status == ErrSecItemNotFound)
            {
                return false;
            }
            Check(status, "delete", key);
            return true;
        }

        private static CfHandle Query(KeyringItemKey key)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                throw new CtException(ErrorIds.KeyringUnavailable, CtErrorKind.ResourceUnavailable, "The macOS Keychain exists on macOS only.", "macOS Keychain");
            }
            var query = CfHandle.Dictionary();
            query.Set(Sec.Constant("kSecClass"), Sec.Constant("kSecClassGenericPassword"));
            using var service = CfHandle.String(key.Service);
            using var account = CfHandle.String(key.Account);
            query.Set(Sec.Constant("kSecAttrService"), service.Handle);
            query.Set(Sec.Constant("kSecAttrAccount"), account.Handle);
            query.Set(Sec.Constant("kSecUseAuthenticationUI"), Sec.Constant("kSecUseAuthenticationUIFail"));
            return query;
        }

        private static void Check(int status, string what, KeyringItemKey key)
        {
            if (status == ErrSecSuccess)
            {
                return;
            }
            if (status == ErrSecInteractionNotAllowed || status == ErrSecAuthFailed)
            {
                throw new CtException(ErrorIds.KeyringLocked, CtErrorKind.SecurityError,
                    $"The macOS Keychain is locked (OSStatus {status}), and CryptoTrader never prompts. Unlock it by logging in, or with: security unlock-keychain login.keychain-db",
                    key.ToString());
            }
            throw new CtException(ErrorIds.KeyringFailed, CtErrorKind.ResourceUnavailable,
                $"The macOS Keychain could not {what} the item '{key}' (OSStatus {status}).", key.ToString());
        }

        private sealed class CfHandle : IDisposable
        {
            private CfHandle(IntPtr handle)
            {
                Handle = handle;
            }

            public IntPtr Handle { get; }

            public static CfHandle Dictionary() => new CfHandle(Sec.CFDictionaryCreateMutable(IntPtr.Zero, 0,
                Sec.Symbol("kCFTypeDictionaryKeyCallBacks", Sec.CoreFoundationPath), Sec.Symbol("kCFTypeDictionaryValueCallBacks", Sec.CoreFoundationPath)));

            public static CfHandle String(string value) => new CfHandle(Sec.CFStringCreateWithCharacters(IntPtr.Zero, value, value.Length));

            public static CfHandle Data(byte[] value) => new CfHandle(Sec.CFDataCreate(IntPtr.Zero, value, value.Length));

            public void Set(IntPtr key, IntPtr value) => Sec.CFDictionarySetValue(Handle, key, value);

            public void Dispose()
            {
                if (Handle != IntPtr.Zero)
                {
                    Sec.CFRelease(Handle);
                }
            }
        }

        private static class Sec
        {
            internal const string SecurityPath = "/System/Library/Frameworks/Security.framework/Security";
            internal const string CoreFoundationPath = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation";

            /// <summary>The address of an exported symbol (for the callback structs).</summary>
            internal static IntPtr Symbol(string name, string library = SecurityPath) => NativeLibrary.GetExport(NativeLibrary.Load(library), name);

            /// <summary>The value of an exported CFTypeRef constant (kSecClass, kCFBooleanTrue, ...).</summary>
            internal static IntPtr Constant(string name, string library = SecurityPath) => Marshal.ReadIntPtr(Symbol(name, library));

            [DllImport(SecurityPath)]
            internal static extern int SecItemCopyMatching(IntPtr query, out IntPtr result);

            [DllImport(SecurityPath)]
            internal static extern int SecItemAdd(IntPtr attributes, IntPtr result);

            [DllImport(SecurityPath)]
            internal static extern int SecItemUpdate(IntPtr query, IntPtr attributesToUpdate);

            [DllImport(SecurityPath)]
            internal static extern int SecItemDelete(IntPtr query);

            [DllImport(CoreFoundationPath)]
            internal static extern IntPtr CFDictionaryCreateMutable(IntPtr allocator, nint capacity, IntPtr keyCallBacks, IntPtr valueCallBacks);

            [DllImport(CoreFoundationPath)]
            internal static extern void CFDictionarySetValue(IntPtr dictionary, IntPtr key, IntPtr value);

            [DllImport(CoreFoundationPath, CharSet = CharSet.Unicode)]
            internal static extern IntPtr CFStringCreateWithCharacters(IntPtr allocator, string characters, nint length);

            [DllImport(CoreFoundationPath)]
            internal static extern IntPtr CFDataCreate(IntPtr allocator, byte[] bytes, nint length);

            [DllImport(CoreFoundationPath)]
            internal static extern nint CFDataGetLength(IntPtr data);

            [DllImport(CoreFoundationPath)]
            internal static extern IntPtr CFDataGetBytePtr(IntPtr data);

            [DllImport(CoreFoundationPath)]
            internal static extern void CFRelease(IntPtr handle);
        }
#else
        public byte[]? Read(KeyringItemKey key) => throw Unsupported();

        public void Write(KeyringItemKey key, string label, byte[] secret) => throw Unsupported();

        public bool Delete(KeyringItemKey key) => throw Unsupported();

        private static CtException Unsupported() => new CtException(ErrorIds.KeyringUnavailable, CtErrorKind.ResourceUnavailable,
            "The macOS Keychain is supported in PowerShell 7 only.", "macOS Keychain");
#endif
    }
}
