using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// The newest audit head the module has written, kept outside the database (audit.head, 0600) with its own MAC,
    /// so a log whose last records were cut off is detected. It only moves forward; it may lag the database after a crash.
    /// </summary>
    internal sealed class AuditHeadFile
    {
        public const string FileName = "audit.head";
        private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

        public AuditHeadFile(DataHome home)
        {
            Path = System.IO.Path.Combine(home.Path, FileName);
        }

        public string Path { get; }

        public sealed class Head
        {
            public Head(long sequence, string mac, string keyId, string headMac)
            {
                Sequence = sequence;
                Mac = mac;
                KeyId = keyId;
                HeadMac = headMac;
            }

            public long Sequence { get; }

            public string Mac { get; }

            public string KeyId { get; }

            public string HeadMac { get; }
        }

        public Head? Read()
        {
            // A writer holds the file locked for the moment it takes to advance it (see Advance): retry briefly.
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (!File.Exists(Path))
                {
                    return null;
                }
                try
                {
                    return Parse(File.ReadAllText(Path, Encoding.ASCII));
                }
                catch (IOException) when (clock.Elapsed < LockTimeout && File.Exists(Path))
                {
                    Thread.Sleep(1);
                }
            }
        }

        /// <summary>Records a head unless the file already holds a later one.</summary>
        /// <remarks>
        /// The head is one short line of fixed length (the sequence is zero-padded) written over the old one at
        /// offset 0: no temporary file, no rename, so an append adds no directory change to the database's next
        /// fsync. The process keeps the file open between appends (opening it per append cost about as much as the
        /// rest of an append), and writers serialize on a record lock on it: a monitor between threads of this
        /// process, an fcntl lock between processes.
        /// </remarks>
        public void Advance(long sequence, string mac, AuditChain chain)
        {
            var handle = OpenHandle.For(Path);
            lock (handle)
            {
                handle.LockRecord();
                try
                {
                    var current = Parse(handle.ReadText());
                    if (current != null && current.Sequence >= sequence)
                    {
                        return;
                    }
                    var keyId = chain.SigningKeyId;
                    var text = string.Join(" ", "v1", sequence.ToString("D19", CultureInfo.InvariantCulture), mac, keyId, chain.HeadMac(sequence, mac, keyId));
                    handle.WriteText(text);
                }
                finally
                {
                    handle.UnlockRecord();
                }
            }
        }

        /// <summary>Closes the head files this process keeps open (with the database's pooled connections).</summary>
        public static void CloseHandles() => OpenHandle.CloseAll();

        /// <summary>One open head file, shared by every AuditLog of this process on that data folder.</summary>
        private sealed class OpenHandle
        {
            private static readonly ConcurrentDictionary<string, OpenHandle> Handles = new ConcurrentDictionary<string, OpenHandle>(StringComparer.Ordinal);
            private const int LockExclusive = 2;
            private const int LockNonBlocking = 4;
            private const int LockUnlock = 8;
            private const int WouldBlockLinux = 11;
            private const int WouldBlockMac = 35;
            private readonly FileStream stream;
            private readonly Microsoft.Win32.SafeHandles.SafeFileHandle handle;

            private OpenHandle(string path)
            {
                Path = path;
                FilePermissions.CreatePrivateFile(path);
                stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
                // Taken once: FileStream.SafeFileHandle flushes and seeks each time it is read.
                handle = stream.SafeFileHandle;
            }

            /// <summary>The open file at <paramref name="path"/>; opened again when the file was deleted meanwhile.</summary>
            private string Path { get; }

            [DllImport("libc", SetLastError = true)]
            private static extern int flock(int fd, int operation);

            [DllImport("libc", SetLastError = true)]
            private static extern int access(string path, int mode);

            public static OpenHandle For(string path)
            {
                if (Handles.TryGetValue(path, out var handle) && StillExists(path))
                {
                    return handle;
                }
                lock (Handles)
                {
                    if (Handles.TryGetValue(path, out handle) && StillExists(path))
                    {
                        return handle;
                    }
                    handle?.Close();
                    handle = new OpenHandle(path);
                    Handles[path] = handle;
                    return handle;
                }
            }

            // Whether the file was deleted since it was opened. Not stat(2): a stat of the head file, which every append
            // writes, made ext4's next fsync of the WAL commit its journal, about 80 µs per append (measured; access(2) does not).
            private static bool StillExists(string path) => FilePermissions.IsWindows ? File.Exists(path) : access(path, 0) == 0;

            public static void CloseAll()
            {
                lock (Handles)
                {
                    foreach (var handle in Handles.Values)
                    {
                        handle.Close();
                    }
                    Handles.Clear();
                }
            }

            public void LockRecord()
            {
                var clock = Stopwatch.StartNew();
                while (!TryLock())
                {
                    if (clock.Elapsed > LockTimeout)
                    {
                        throw new IOException($"The audit head file '{Path}' stayed locked by another process for {LockTimeout.TotalSeconds} s.");
                    }
                    Thread.Sleep(1);
                }
            }

            public void UnlockRecord()
            {
                if (FilePermissions.IsWindows)
                {
                    stream.Unlock(0, 1);
                }
                else
                {
                    flock(handle.DangerousGetHandle().ToInt32(), LockUnlock);
                }
            }

            // Windows: a byte-range lock. Unix: flock, which macOS has too (FileStream.Lock does not work there).
            // .NET takes no flock of its own on a handle opened for writing with FileShare.ReadWrite.
            private bool TryLock()
            {
                if (FilePermissions.IsWindows)
                {
                    try
                    {
                        stream.Lock(0, 1);
                        return true;
                    }
                    catch (IOException)
                    {
                        return false;
                    }
                }
                if (flock(handle.DangerousGetHandle().ToInt32(), LockExclusive | LockNonBlocking) == 0)
                {
                    return true;
                }
                var error = Marshal.GetLastWin32Error();
                if (error == WouldBlockLinux || error == WouldBlockMac)
                {
                    return false;
                }
                throw new IOException($"Could not lock the audit head file '{Path}' (errno {error}).");
            }

            // The head line is about 170 bytes; a longer file is damaged and read only this far (then overwritten).
            private const int MaxHeadLength = 512;
            private int lengthRead = -1;

            public string ReadText()
            {
                var bytes = new byte[MaxHeadLength];
                var read = 0;
                while (read < bytes.Length)
                {
#if NET
                    // pread/pwrite at explicit offsets: no seek and no size query per append.
                    var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
#else
                    stream.Position = read;
                    var n = stream.Read(bytes, read, bytes.Length - read);
#endif
                    if (n == 0)
                    {
                        break;
                    }
                    read += n;
                }
                lengthRead = read;
                return Encoding.ASCII.GetString(bytes, 0, read);
            }

            /// <summary>Writes the line over the file read just before (<see cref="ReadText"/>), cutting off anything longer.</summary>
            public void WriteText(string text)
            {
                var bytes = Encoding.ASCII.GetBytes(text);
#if NET
                RandomAccess.Write(handle, bytes, 0);
#else
                stream.Position = 0;
                stream.Write(bytes, 0, bytes.Length);
#endif
                if (lengthRead != bytes.Length)
                {
                    stream.SetLength(bytes.Length);
                }
            }

            private void Close() => stream.Dispose();
        }

        private static Head? Parse(string text)
        {
            var parts = text.Trim().Split(' ');
            if (parts.Length != 5 || parts[0] != "v1" || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                return null;
            }
            return new Head(sequence, parts[2], parts[3], parts[4]);
        }
    }
}
