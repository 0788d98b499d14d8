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
        /// Writers serialize on a separate lock file; the head itself is replaced by rename, so a crash
        /// leaves either the old head or the new one, never a half-written file.
        /// </remarks>
        public void Advance(long sequence, string mac, AuditChain chain)
        {
            FilePermissions.CreatePrivateFile(LockPath);
            using var held = OpenExclusive(LockPath);
            var current = Read();
            if (current != null && current.Sequence >= sequence)
            {
                return;
            }
            var keyId = chain.SigningKeyId;
            var text = string.Join(" ", "v1", sequence.ToString(CultureInfo.InvariantCulture), mac, keyId, chain.HeadMac(sequence, mac, keyId));
            var temporary = Path + ".tmp";
            FilePermissions.CreatePrivateFile(temporary);
            File.WriteAllText(temporary, text, Encoding.ASCII);
            AtomicFile.Replace(temporary, Path);
        }

        private string LockPath => Path + ".lock";

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
