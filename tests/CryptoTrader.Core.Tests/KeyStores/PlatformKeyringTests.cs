using System;
using System.Linq;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.KeyStores.Keyring;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    /// <summary>Runs only on macOS; elsewhere skipped with the reason.</summary>
    public sealed class MacFactAttribute : FactAttribute
    {
        public MacFactAttribute()
        {
            if (!Platform.IsMacOS)
            {
                Skip = "macOS only: exercises the Keychain through Security.framework (Linux uses the Secret Service tests).";
            }
        }
    }

    public sealed class PlatformKeyringTests
    {
        [Fact]
        public void WindowsParts_StayUnder512Bytes_AndJoinBack()
        {
            var secret = Enumerable.Range(0, 1234).Select(i => (byte)i).ToArray();
            var parts = CredentialGenerations.Split(secret);
            Assert.Equal(3, parts.Count);
            Assert.All(parts, p => Assert.True(p.Length + 1 < 512));
            Assert.Equal(secret, ByteArrays.Concat(parts));
            Assert.Single(CredentialGenerations.Split(Array.Empty<byte>()));
        }

        [Fact]
        public void TheBackendOfThisSystem_IsTheRightOne()
        {
            var backend = KeyringBackends.ForCurrentPlatform();
            var expected = Platform.IsWindows ? typeof(WindowsCredentialBackend)
                : Platform.IsMacOS ? typeof(MacKeychainBackend)
#if NET
                : typeof(SecretServiceBackend);
#else
                : typeof(UnsupportedKeyringBackend); // the Secret Service backend is built for PowerShell 7 only
#endif
            Assert.IsType(expected, backend);
        }

        [WindowsFact("the Credential Manager is Windows' own API (advapi32), which neither Linux nor Mono has.")]
        public void WindowsCredentialManager_StoresReadsUpdatesAndDeletes_ALargeKeyRing()
        {
            RoundTrip(new WindowsCredentialBackend(), grow: 12);
        }

        [MacFact]
        public void MacKeychain_StoresReadsUpdatesAndDeletes()
        {
            RoundTrip(new MacKeychainBackend(), grow: 3);
        }

        private static void RoundTrip(IKeyringBackend backend, int grow)
        {
            using var data = new TempFolder();
            var store = new KeyringKeyStore(backend, data.Path);
            try
            {
                Assert.Null(store.Load());
                var ring = KeyRing.CreateNew();
                store.Save(ring);
                Assert.Equal(ring.Serialize(), store.Load()!.Serialize());
                for (var i = 0; i < grow; i++)
                {
                    ring = ring.WithNewPrimary(out _);
                }
                store.Save(ring);
                Assert.Equal(ring.Serialize(), store.Load()!.Serialize());
                var small = KeyRing.CreateNew();
                store.Save(small);
                Assert.Equal(small.Serialize(), store.Load()!.Serialize());
                Assert.True(store.Delete());
                Assert.Null(store.Load());
            }
            finally
            {
                store.Delete();
            }
        }
    }
}
