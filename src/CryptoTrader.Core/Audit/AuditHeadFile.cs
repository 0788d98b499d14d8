using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
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
            if (!File.Exists(Path))
            {
                return null;
            }
            return Parse(File.ReadAllText(Path, Encoding.ASCII));
        }

        /// <summary>Records a head unless the file already holds a later one.</summary>
        /// <remarks>
        /// Writers serialize on the head file itself (opened exclusively). The head is one short line of fixed
        /// length (the sequence is zero-padded) written over the old one at offset 0: no temporary file, no rename,
        /// so an append adds no directory change to the database's next fsync. A write this small lands whole.
        /// </remarks>
        public void Advance(long sequence, string mac, AuditChain chain)
        {
            FilePermissions.CreatePrivateFile(Path);
            using var stream = OpenExclusive(Path);
            var existing = new byte[stream.Length];
            var read = 0;
            while (read < existing.Length)
            {
                var n = stream.Read(existing, read, existing.Length - read);
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            var current = Parse(Encoding.ASCII.GetString(existing, 0, read));
            if (current != null && current.Sequence >= sequence)
            {
                return;
            }
            var keyId = chain.SigningKeyId;
            var text = string.Join(" ", "v1", sequence.ToString("D19", CultureInfo.InvariantCulture), mac, keyId, chain.HeadMac(sequence, mac, keyId));
            var bytes = Encoding.ASCII.GetBytes(text);
            stream.Position = 0;
            stream.Write(bytes, 0, bytes.Length);
            if (stream.Length > bytes.Length)
            {
                stream.SetLength(bytes.Length);
            }
        }

        private static FileStream OpenExclusive(string path)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    return new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (clock.Elapsed < LockTimeout)
                {
                    Thread.Sleep(5);
                }
            }
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
