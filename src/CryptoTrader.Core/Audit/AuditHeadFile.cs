using System;
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

        // The head line is about 170 bytes; a longer file is damaged and read only this far.
        private const int MaxHeadLength = 512;
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

        /// <summary>The head, or null when the file is missing or does not hold one.</summary>
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
                    using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    return Parse(ReadText(stream));
                }
                catch (FileNotFoundException)
                {
                    return null;
                }
                catch (IOException) when (clock.Elapsed < LockTimeout)
                {
                    Thread.Sleep(1);
                }
            }
        }

        /// <summary>Records a head unless the file already holds a later one.</summary>
        /// <remarks>
        /// Opened, locked, written and closed per append. The lock (flock on Unix, a byte-range lock on Windows)
        /// is per open file, so it orders writers in this process as well as in others.
        /// </remarks>
        public void Advance(long sequence, string mac, AuditChain chain)
        {
            FilePermissions.CreatePrivateFile(Path);
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            using (FileLock.Acquire(stream, Path))
            {
                var current = Parse(ReadText(stream));
                if (current != null && current.Sequence >= sequence)
                {
                    return;
                }
                var keyId = chain.SigningKeyId;
                var text = string.Join(" ", "v1", sequence.ToString("D19", CultureInfo.InvariantCulture), mac, keyId, chain.HeadMac(sequence, mac, keyId));
                var bytes = Encoding.ASCII.GetBytes(text);
                stream.Position = 0;
                stream.Write(bytes, 0, bytes.Length);
                stream.SetLength(bytes.Length);
            }
        }

        private static string ReadText(FileStream stream)
        {
            var bytes = new byte[MaxHeadLength];
            var read = 0;
            stream.Position = 0;
            int n;
            while (read < bytes.Length && (n = stream.Read(bytes, read, bytes.Length - read)) > 0)
            {
                read += n;
            }
            return Encoding.ASCII.GetString(bytes, 0, read);
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

        /// <summary>An exclusive lock on an open file, held until disposed.</summary>
        private sealed class FileLock : IDisposable
        {
            private const int LockExclusive = 2;
            private const int LockNonBlocking = 4;
            private const int LockUnlock = 8;
            private const int WouldBlockLinux = 11;
            private const int WouldBlockMac = 35;
            private readonly FileStream stream;

            private FileLock(FileStream stream)
            {
                this.stream = stream;
            }

            [DllImport("libc", SetLastError = true)]
            private static extern int flock(int fd, int operation);

            public static FileLock Acquire(FileStream stream, string path)
            {
                var clock = Stopwatch.StartNew();
                while (!TryLock(stream, path))
                {
                    if (clock.Elapsed > LockTimeout)
                    {
                        throw new IOException($"The audit head file '{path}' stayed locked by another process for {LockTimeout.TotalSeconds} s.");
                    }
                    Thread.Sleep(1);
                }
                return new FileLock(stream);
            }

            public void Dispose()
            {
                if (FilePermissions.IsWindows)
                {
                    stream.Unlock(0, 1);
                }
                else
                {
                    flock(Descriptor(stream), LockUnlock);
                }
            }

            // Unix: flock, which macOS has too (FileStream.Lock does not work there).
            private static bool TryLock(FileStream stream, string path)
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
                if (flock(Descriptor(stream), LockExclusive | LockNonBlocking) == 0)
                {
                    return true;
                }
                var error = Marshal.GetLastWin32Error();
                if (error == WouldBlockLinux || error == WouldBlockMac)
                {
                    return false;
                }
                throw new IOException($"Could not lock the audit head file '{path}' (errno {error}).");
            }

            private static int Descriptor(FileStream stream) => stream.SafeFileHandle.DangerousGetHandle().ToInt32();
        }
    }
}
