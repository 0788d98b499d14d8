using System;
using System.Diagnostics;
using System.Threading;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    /// <summary>Forgetting a data folder's key rings (Lock-CtKeyStore, the unlock timeout, Remove-Module) zeroes their keys.</summary>
    public sealed class KeyRingCacheTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();

        public void Dispose()
        {
            KeyRingCache.Forget(folder.Path);
            folder.Dispose();
        }

        [Fact]
        public void Forget_ZeroesEveryRingHeldSinceTheUnlock_AndAnyLaterUseFailsWithKeyStoreLocked_NeverWithAZeroKey()
        {
            var store = new MemoryKeyStore(new SharedSlot());
            KeyRing first = KeyRing.CreateNew();
            KeyRing reloaded = KeyRing.Deserialize(first.Serialize()).WithNewPrimary(out _);
            KeyRingCache.Put(folder.Path, store, first, unlockTimeout: null);
            KeyRingCache.Put(folder.Path, store, reloaded, unlockTimeout: null);
            string token = reloaded.Encrypt(new byte[] { 1, 2, 3 }).Token;

            Assert.Equal(2, KeyRingCache.Forget(folder.Path));

            Assert.False(KeyRingCache.TryGet(folder.Path, store, out _));
            foreach (KeyRing ring in new[] { first, reloaded })
            {
                foreach (KeyRingEntry entry in ring.Keys)
                {
                    Assert.Equal(ErrorIds.KeyStoreLocked, Assert.Throws<CtException>(() => entry.Key.CopyBytes()).ErrorId);
                }
                Assert.Equal(ErrorIds.KeyStoreLocked, Assert.Throws<CtException>(() => ring.Encrypt(new byte[] { 4 })).ErrorId);
                Assert.Equal(ErrorIds.KeyStoreLocked, Assert.Throws<CtException>(() => ring.Serialize()).ErrorId);
            }
            Assert.Equal(ErrorIds.KeyStoreLocked, Assert.Throws<CtException>(() => reloaded.Decrypt(token, reloaded.Primary.Id)).ErrorId);
        }

        [Fact]
        public void WithAnUnlockTimeout_TheRingsAreForgottenAndZeroedThatLongAfterTheUnlock_EvenWhenIdle()
        {
            var store = new MemoryKeyStore(new SharedSlot());
            KeyRing ring = KeyRing.CreateNew();
            KeyRingCache.Put(folder.Path, store, ring, TimeSpan.FromMilliseconds(300));
            Assert.True(KeyRingCache.TryGet(folder.Path, store, out _));

            // Nothing asks the cache meanwhile: the timer itself must zero the keys.
            var waited = Stopwatch.StartNew();
            while (!IsWiped(ring) && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(50);
            }

            Assert.True(IsWiped(ring));
            Assert.False(KeyRingCache.TryGet(folder.Path, store, out _));
        }

        [Fact]
        public void ARingPutAgainAfterTheUnlock_DoesNotExtendTheTimeout_AndNoTimeoutKeepsItUntilForgotten()
        {
            var store = new MemoryKeyStore(new SharedSlot());
            KeyRing ring = KeyRing.CreateNew();
            KeyRingCache.Put(folder.Path, store, ring, unlockTimeout: null);
            Thread.Sleep(400);
            Assert.True(KeyRingCache.TryGet(folder.Path, store, out _));

            // Set-CtConfig -UnlockTimeout on a folder unlocked 400 ms ago: counted from the unlock, so it has already run out.
            KeyRingCache.SetTimeout(folder.Path, TimeSpan.FromMilliseconds(100));

            Assert.False(KeyRingCache.TryGet(folder.Path, store, out _));
            Assert.True(IsWiped(ring));
        }

        [Fact]
        public void ARingTheCacheNoLongerGives_IsAlreadyZeroed_EvenWhileTheTimerIsForgettingIt()
        {
            // The unlock timer forgets on a thread of its own; a caller that no longer gets the ring must never find its
            // keys still there (Mono's scheduling caught the window between removing the folder and zeroing its rings).
            var store = new MemoryKeyStore(new SharedSlot());
            for (var round = 0; round < 300; round++)
            {
                KeyRing ring = KeyRing.CreateNew();
                KeyRingCache.Put(folder.Path, store, ring, TimeSpan.FromMilliseconds(1));
                while (KeyRingCache.TryGet(folder.Path, store, out _))
                {
                }

                Assert.True(IsWiped(ring), $"round {round}: the ring was gone from the cache but its keys were not zeroed");
            }
        }

        private static bool IsWiped(KeyRing ring)
        {
            try
            {
                ring.Primary.Key.CopyBytes();
                return false;
            }
            catch (CtException e) when (e.ErrorId == ErrorIds.KeyStoreLocked)
            {
                return true;
            }
        }
    }
}
