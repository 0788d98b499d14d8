using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// audit.head (0600): the <see cref="AuditHead"/> outside the database. Writers hold it locked from before their
    /// transaction begins until after it commits, so the head they check is the head they replace. It is created and
    /// opened as a <see cref="PrivateFile"/>: a link or another user's file in its place is refused (DataFolderInsecure).
    /// </summary>
    internal sealed class AuditHeadFile
    {
        public const string FileName = DataHome.AuditHeadFileName;

        // The head line is at most 255 bytes; a longer file is damaged and read only this far.
        private const int MaxHeadLength = 512;

        // Every head is written padded to this length (readers trim the spaces), inside one 512-byte sector: an overwrite
        // in place never changes the file's size, so a power loss leaves the old head or the new one, never new text
        // under a stale length.
        internal const int WrittenLength = 320;
        private static readonly TimeSpan LockTimeout = TimeSpan.FromMilliseconds(CtDatabase.BusyTimeoutMilliseconds);

        public AuditHeadFile(DataHome home)
        {
            Path = home.AuditHeadPath;
        }

        public string Path { get; }

        /// <summary>Whether the file is there; DataFolderInsecure when a link or another user's file is in its place.</summary>
        public bool Exists => PrivateFile.Check(Path);

        /// <summary>The head, or null when the file is missing or does not hold one.</summary>
        public AuditHead? Read()
        {
            // On Windows a writer's byte-range lock blocks reading for the moment it takes to write: retry briefly.
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (!Exists)
                {
                    return null;
                }
                try
                {
                    using var stream = PrivateFile.Open(Path, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    return AuditHead.Parse(ReadText(stream));
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

        /// <summary>
        /// The head as it was when <paramref name="beginSnapshot"/> began a read snapshot of the database: the file is held
        /// shared for that moment, so no writer is between its check and its commit, and the two agree. Null when missing.
        /// </summary>
        public AuditHead? ReadAtSnapshot(Action beginSnapshot)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                FileStream stream;
                try
                {
                    stream = PrivateFile.Open(Path, FileAccess.Read, FileShare.Read | FileShare.Delete);
                }
                catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
                {
                    beginSnapshot();
                    return null;
                }
                catch (IOException) when (clock.Elapsed < LockTimeout)
                {
                    // A writer holds it: wait for its commit.
                    Thread.Sleep(1);
                    continue;
                }
                using (stream)
                {
                    beginSnapshot();
                    return AuditHead.Parse(ReadText(stream));
                }
            }
        }

        /// <summary>
        /// Opens the head file for this writer alone, until the result is disposed. A missing file is created only for a
        /// log that has no records yet (<paramref name="createIfMissing"/>); otherwise it stays missing (and the write is refused).
        /// </summary>
        /// <remarks>
        /// Exclusive by the platform's own file sharing (FileShare.None: an exclusive flock on Unix, a sharing mode on
        /// Windows), which orders writers in this process and in others alike; readers wait while it is held.
        /// </remarks>
        /// <exception cref="CtException">AuditWriteFailed: another writer held it for the whole busy timeout.</exception>
        public Locked Lock(bool createIfMissing)
        {
            var existed = Exists;
            if (!existed && !createIfMissing)
            {
                return new Locked(null, hadContent: false);
            }
            if (!existed)
            {
                PrivateFile.CreateNew(Path);
            }
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    var stream = PrivateFile.Open(Path, FileAccess.ReadWrite, FileShare.None);
                    // What the file holds once it is ours (another writer may have created and written it meanwhile).
                    return new Locked(stream, stream.Length > 0);
                }
                catch (IOException) when (!(clock.Elapsed > LockTimeout) && File.Exists(Path))
                {
                    Thread.Sleep(1);
                }
                catch (IOException e) when (File.Exists(Path))
                {
                    throw new CtException(ErrorIds.AuditWriteFailed, CtErrorKind.WriteError,
                        $"The audit head file '{Path}' stayed locked by another CryptoTrader process for {LockTimeout.TotalSeconds} s, so nothing was changed. Retry when that work has finished.", Path, e);
                }
            }
        }

        /// <summary>The head file, open and locked.</summary>
        public sealed class Locked : IDisposable
        {
            private readonly FileStream? stream;

            internal Locked(FileStream? stream, bool hadContent)
            {
                this.stream = stream;
                Current = hadContent ? AuditHead.Parse(ReadText(stream!)) : null;
                WasEmpty = !hadContent;
            }

            /// <summary>The head as it was when locked; null when the file was missing, empty or damaged.</summary>
            public AuditHead? Current { get; private set; }

            /// <summary>The file did not exist or was empty (a new data folder, or a deleted head).</summary>
            public bool WasEmpty { get; }

            /// <remarks>
            /// A head naming pending records is written before their commit, and reaches the disk first (fsync): after a
            /// power loss it names the log's end whether or not the commit did. The committed form written after the
            /// commit may be lost; the pending form it replaces names the same end.
            /// </remarks>
            public void Write(AuditHead head)
            {
                if (stream is null)
                {
                    throw new InvalidOperationException("The head file is missing: the log's end must be checked before anything is written.");
                }
                var bytes = Encoding.ASCII.GetBytes(head.ToText().PadRight(WrittenLength));
                stream.Position = 0;
                stream.Write(bytes, 0, bytes.Length);
                stream.SetLength(bytes.Length);
                stream.Flush(flushToDisk: head.PendingSequence != 0);
                Current = head;
            }

            public void Dispose() => stream?.Dispose();
        }

        private static string ReadText(FileStream stream) => Encoding.ASCII.GetString(PrivateFile.ReadPrefix(stream, MaxHeadLength));
    }
}
