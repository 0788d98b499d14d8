using System.IO;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    /// <summary>keyring.lock is a private file: created 0600, and a link in its place is refused, not locked through.</summary>
    public sealed class KeyRingLockTests
    {
        [UnixFact]
        public void TheLockFile_IsCreated0600_AndALinkInItsPlaceIsRefused()
        {
            using var folder = new TempFolder();
            DataHome home = DataHome.At(folder.Combine("home")).EnsureCreated();
            using (KeyRingLock.Acquire(home))
            {
                Assert.Equal(Platform.Octal("0600"), Platform.ModeOf(home.KeyRingLockPath));
            }
            string victim = folder.Combine("victim");
            File.WriteAllText(victim, "a file of the user's own");
            Platform.SetMode(victim, Platform.Octal("0644"));
            File.Delete(home.KeyRingLockPath);
            Platform.Symlink(victim, home.KeyRingLockPath);

            CtException error = Assert.Throws<CtException>(() => KeyRingLock.Acquire(home).Dispose());

            Assert.Equal(ErrorIds.DataFolderInsecure, error.ErrorId);
            Assert.Equal(home.KeyRingLockPath, error.Target);
            Assert.Equal(Platform.Octal("0644"), Platform.ModeOf(victim));
            // A failed acquisition holds nothing: once the link is gone the lock works again.
            File.Delete(home.KeyRingLockPath);
            KeyRingLock.Acquire(home).Dispose();
        }
    }
}
