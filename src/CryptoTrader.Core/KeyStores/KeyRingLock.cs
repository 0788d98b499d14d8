using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// An exclusive lock across processes (a locked file in the data folder), held while a key ring
    /// is created or rotated, so two processes never create two different key rings.
    /// </summary>
    internal sealed class KeyRingLock : IDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
        private readonly FileStream stream;

        private KeyRingLock(FileStream stream)
        {
            this.stream = stream;
        }

        public static KeyRingLock Acquire(DataHome home)
        {
            var path = home.KeyRingLockPath;
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    FilePermissions.CreatePrivateFile(path);
                    return new KeyRingLock(new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException) when (clock.Elapsed < Timeout)
                {
                    Thread.Sleep(25);
                }
                catch (IOException e)
                {
                    throw new CtException(ErrorIds.KeyRingLockTimeout, CtErrorKind.ResourceUnavailable,
                        $"Another CryptoTrader process has held the key ring lock '{path}' for over {Timeout.TotalSeconds:0} s. Retry when it has finished.", path, e);
                }
            }
        }

        public void Dispose() => stream.Dispose();
    }
}
