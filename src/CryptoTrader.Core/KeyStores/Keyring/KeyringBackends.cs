using System;
using System.Runtime.InteropServices;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.KeyStores.Keyring
{
    /// <summary>The OS keyring backend of this system.</summary>
    public static class KeyringBackends
    {
        public static IKeyringBackend ForCurrentPlatform()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return new WindowsCredentialBackend();
            }
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                return new MacKeychainBackend();
            }
#if NET8_0_OR_GREATER
            return new SecretServiceBackend();
#else
            return new UnsupportedKeyringBackend("the Secret Service is supported in PowerShell 7 only");
#endif
        }
    }

    /// <summary>A system without a supported keyring: every call is the KeyringUnavailable error.</summary>
    public sealed class UnsupportedKeyringBackend : IKeyringBackend
    {
        private readonly string why;

        public UnsupportedKeyringBackend(string why)
        {
            this.why = why;
        }

        public string Name => "OS keyring";

        public KeyringProbe Probe() => new KeyringProbe(false, "no OS keyring is supported here: " + why);

        public byte[]? Read(KeyringItemKey key) => throw Error();

        public void Write(KeyringItemKey key, string label, byte[] secret) => throw Error();

        public bool Delete(KeyringItemKey key) => throw Error();

        private CtException Error() => new CtException(ErrorIds.KeyringUnavailable, CtErrorKind.ResourceUnavailable,
            $"No OS keyring can be used here ({why}). Choose another store with Set-CtConfig -KeyStore.", Name);
    }
}
