using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// An exclusive lock across processes and threads (a file in the data folder opened FileShare.None), held while a key
    /// ring is created, rotated or re-anchored, so two writers never save two different rings. Re-entrant on the thread
    /// that holds it: creating or rotating the ring writes an audit record, which re-anchors the ring under the same lock.
    /// The file is a <see cref="PrivateFile"/>: a link or another user's file in its place is refused (DataFolderInsecure).
    /// </summary>
    internal sealed class KeyRingLock : IDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

        [ThreadStatic]
        private static Dictionary<string, int>? heldByThisThread;

        private readonly FileStream? stream;
        private readonly string path;

        private KeyRingLock(FileStream? stream, string path)
        {
            this.stream = stream;
            this.path = path;
        }

        public static KeyRingLock Acquire(DataHome home)
        {
            var path = home.KeyRingLockPath;
            var held = heldByThisThread ??= new Dictionary<string, int>(StringComparer.Ordinal);
            if (held.TryGetValue(path, out var depth))
            {
                held[path] = depth + 1;
                return new KeyRingLock(null, path);
            }
            var stream = Open(path);
            held[path] = 1;
            return new KeyRingLock(stream, path);
        }

        public void Dispose()
        {
            var held = heldByThisThread!;
            var depth = held[path] - 1;
            if (depth > 0)
            {
                held[path] = depth;
                return;
            }
            held.Remove(path);
            stream?.Dispose();
        }

        private static FileStream Open(string path)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    PrivateFile.CreateNew(path);
                    return PrivateFile.Open(path, FileAccess.ReadWrite, FileShare.None);
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

    }
}
