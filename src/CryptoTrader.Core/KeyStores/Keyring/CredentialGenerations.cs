using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Security.Cryptography;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.KeyStores.Keyring
{
    /// <summary>
    /// A secret larger than one credential blob (kept under 512 bytes for older Windows) as a generation of parts:
    /// "&lt;target&gt;#g&lt;generation&gt;#&lt;i&gt;". The credential "&lt;target&gt;" itself is only the head: it names the current
    /// generation, its part count, the previous generation's part count and the SHA-256 of the whole secret. A write puts every
    /// part of the next generation first and then switches the head in one call, so a reader sees the old secret or the new
    /// one, never a mix, and a crash at any point leaves the old one readable. The old generation's parts are deleted after
    /// the switch, and whatever a crash left (parts of an unfinished generation, or of the one before) by the next write.
    /// Heads written before generations (first byte = part count, parts "&lt;target&gt;#1"...) are still read, and replaced on write.
    /// </summary>
    internal sealed class CredentialGenerations
    {
        internal const int PartSize = 500;
        internal const int MaxParts = 255;
        private const byte HeadMarker = 0;
        private const byte HeadVersion = 1;
        private const int HeadLength = 3 + 4 + 1 + 1 + 32;

        private readonly ICredentialApi api;

        public CredentialGenerations(ICredentialApi api)
        {
            this.api = api;
        }

        public byte[]? Read(string target)
        {
            var head = api.Read(target);
            if (head is null)
            {
                return null;
            }
            if (head.Length > 0 && head[0] != HeadMarker)
            {
                return ReadChained(target, head);
            }
            var (generation, count, _, digest) = ParseHead(target, head);
            var parts = new List<byte[]>();
            for (var i = 0; i < count; i++)
            {
                parts.Add(api.Read(PartName(target, generation, i)) ?? throw Unreadable(target, $"part {i + 1} of {count} of generation {generation} is missing"));
            }
            var secret = ByteArrays.Concat(parts);
            using (var sha = SHA256.Create())
            {
                if (!ConstantTime.Equals(sha.ComputeHash(secret), digest))
                {
                    Array.Clear(secret, 0, secret.Length);
                    throw Unreadable(target, $"the parts of generation {generation} do not add up to what its head names");
                }
            }
            return secret;
        }

        public void Write(string target, string label, byte[] secret)
        {
            var chunks = Split(secret);
            if (chunks.Count > MaxParts)
            {
                throw new CtException(ErrorIds.KeyringItemTooLarge, CtErrorKind.InvalidData,
                    $"The secret ({secret.Length} bytes) is too large for the Windows Credential Manager store (at most {MaxParts} parts of {PartSize} bytes).",
                    target);
            }
            var oldHead = api.Read(target);
            var old = Describe(target, oldHead);
            var generation = old.Generation + 1;
            // What a crash may have left: parts of this generation from a write that stopped before its switch (written in
            // order, so they run from 0 without a gap), and parts of the generation before the current one.
            DeleteParts(target, generation, from: chunks.Count);
            old.DeletePrevious();
            for (var i = 0; i < chunks.Count; i++)
            {
                api.Write(PartName(target, generation, i), label + $" (part {i + 1} of {chunks.Count})", chunks[i]);
            }
            using (var sha = SHA256.Create())
            {
                api.Write(target, label, Head(generation, chunks.Count, old.Count, sha.ComputeHash(secret)));
            }
            old.DeleteParts();
        }

        public bool Delete(string target)
        {
            var head = api.Read(target);
            if (head is null)
            {
                return false;
            }
            var existed = api.Delete(target);
            Describe(target, head).DeleteParts();
            return existed;
        }

        internal static List<byte[]> Split(byte[] secret)
        {
            var chunks = new List<byte[]>();
            for (var offset = 0; offset == 0 || offset < secret.Length; offset += PartSize)
            {
                var length = Math.Min(PartSize, secret.Length - offset);
                var chunk = new byte[length];
                Buffer.BlockCopy(secret, offset, chunk, 0, length);
                chunks.Add(chunk);
            }
            return chunks;
        }

        internal static string PartName(string target, uint generation, int index) => target + "#g" + generation + "#" + index;

        private static string ChainedPartName(string target, int index) => target + "#" + index;

        /// <summary>What is stored now, and how to delete its parts once the head no longer names them.</summary>
        private Stored Describe(string target, byte[]? head)
        {
            if (head is null)
            {
                return new Stored(0, 0, () => { }, () => { });
            }
            if (head.Length > 0 && head[0] != HeadMarker)
            {
                int chained = head[0];
                return new Stored(0, 0, () =>
                {
                    for (var i = 1; i < chained; i++)
                    {
                        api.Delete(ChainedPartName(target, i));
                    }
                }, () => { });
            }
            var (generation, count, previousCount, _) = ParseHead(target, head);
            return new Stored(generation, count, () => DeleteParts(target, generation, 0, count),
                () => DeleteParts(target, generation - 1, 0, previousCount));
        }

        private void DeleteParts(string target, uint generation, int from, int to = MaxParts)
        {
            for (var i = from; i < to; i++)
            {
                if (!api.Delete(PartName(target, generation, i)) && to == MaxParts)
                {
                    break;
                }
            }
        }

        // Before generations: the first blob starts with the part count and holds part 0; "<target>#1"... the rest.
        private byte[] ReadChained(string target, byte[] first)
        {
            var parts = new List<byte[]> { first.AsSpan(1).ToArray() };
            for (var i = 1; i < first[0]; i++)
            {
                parts.Add(api.Read(ChainedPartName(target, i)) ?? throw Unreadable(target, $"part {i} of {first[0]} is missing"));
            }
            return ByteArrays.Concat(parts);
        }

        // 0, 'G', version, generation (uint32 big-endian), part count, previous generation's part count, SHA-256 of the secret.
        private static byte[] Head(uint generation, int count, int previousCount, byte[] digest)
        {
            var head = new byte[HeadLength];
            head[0] = HeadMarker;
            head[1] = (byte)'G';
            head[2] = HeadVersion;
            BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(3), generation);
            head[7] = (byte)count;
            head[8] = (byte)previousCount;
            digest.CopyTo(head, 9);
            return head;
        }

        private static (uint Generation, int Count, int PreviousCount, byte[] Digest) ParseHead(string target, byte[] head)
        {
            if (head.Length != HeadLength || head[1] != (byte)'G' || head[2] != HeadVersion || head[7] == 0)
            {
                throw Unreadable(target, "its head is not one this version writes");
            }
            return (BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(3)), head[7], head[8], head.AsSpan(9).ToArray());
        }

        private static CtException Unreadable(string target, string why) =>
            new CtException(ErrorIds.KeyringItemUnreadable, CtErrorKind.InvalidData,
                $"The Windows credential '{target}' cannot be read: {why}.", target);

        private readonly struct Stored
        {
            private readonly Action deleteParts;
            private readonly Action deletePrevious;

            public Stored(uint generation, int count, Action deleteParts, Action deletePrevious)
            {
                Generation = generation;
                Count = count;
                this.deleteParts = deleteParts;
                this.deletePrevious = deletePrevious;
            }

            public uint Generation { get; }

            public int Count { get; }

            public void DeleteParts() => deleteParts();

            /// <summary>Deletes what is left of the generation before this one (a crash right after its switch).</summary>
            public void DeletePrevious() => deletePrevious();
        }
    }
}
