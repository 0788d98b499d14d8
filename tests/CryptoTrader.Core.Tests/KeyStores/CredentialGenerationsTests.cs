using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores.Keyring;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    /// <summary>
    /// The Windows Credential Manager backend's multi-part writes, over a fake of the credential calls (the real ones exist
    /// on Windows only and have never run here): a reader between any two calls, and a crash after any call, sees the old
    /// secret or the new one, whole.
    /// </summary>
    public sealed class CredentialGenerationsTests
    {
        private const string Target = "CryptoTrader:data-folder=/home/u/.cryptotrader";

        private static readonly byte[] Small = Secret(120, seed: 1);
        private static readonly byte[] Large = Secret(2600, seed: 2);
        private static readonly byte[] Larger = Secret(4100, seed: 3);

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(500)]
        [InlineData(501)]
        [InlineData(4100)]
        public void ASecret_RoundTrips_AndDeleteLeavesNoCredentialBehind(int length)
        {
            var api = new FakeCredentialApi();
            var store = new CredentialGenerations(api);
            var secret = Secret(length, seed: 4);

            store.Write(Target, "label", secret);

            Assert.Equal(secret, store.Read(Target));
            Assert.All(api.Targets, t => Assert.True(api.Blob(t).Length < 512, t));
            Assert.True(store.Delete(Target));
            Assert.Empty(api.Targets);
            Assert.Null(store.Read(Target));
            Assert.False(store.Delete(Target));
        }

        [Theory]
        [MemberData(nameof(Replacements))]
        public void AReaderBetweenAnyTwoCalls_SeesTheOldSecretOrTheNewOne_Whole(byte[] before, byte[] after)
        {
            var api = new FakeCredentialApi();
            var store = new CredentialGenerations(api);
            store.Write(Target, "label", before);
            var seen = new List<byte[]>();
            api.AfterEachChange = () => seen.Add(new CredentialGenerations(api).Read(Target)!);

            store.Write(Target, "label", after);

            Assert.NotEmpty(seen);
            Assert.All(seen, s => Assert.True(s.SequenceEqual(before) || s.SequenceEqual(after)));
            var firstNew = seen.FindIndex(s => s.SequenceEqual(after));
            Assert.True(firstNew >= 0);
            Assert.All(seen.Skip(firstNew), s => Assert.Equal(after, s));
            Assert.Equal(after, store.Read(Target));
            Assert.Equal(new FakeCredentialApi().Count(after) + 1, api.Targets.Count);
        }

        [Theory]
        [MemberData(nameof(Replacements))]
        public void ACrashAfterAnyCall_LeavesTheOldOrTheNewSecret_AndTheNextWriteCleansUp(byte[] before, byte[] after)
        {
            for (var crashAfter = 0; ; crashAfter++)
            {
                var api = new FakeCredentialApi();
                var store = new CredentialGenerations(api);
                store.Write(Target, "label", before);
                api.CrashAfter = crashAfter;

                var crashed = false;
                try
                {
                    store.Write(Target, "label", after);
                }
                catch (FakeCredentialApi.Crash)
                {
                    crashed = true;
                }

                api.CrashAfter = null;
                var read = new CredentialGenerations(api).Read(Target)!;
                Assert.True(read.SequenceEqual(before) || read.SequenceEqual(after), $"after {crashAfter} calls the secret is a mix");
                new CredentialGenerations(api).Write(Target, "label", Larger);
                Assert.Equal(Larger, store.Read(Target));
                Assert.Equal(new FakeCredentialApi().Count(Larger) + 1, api.Targets.Count);
                if (!crashed)
                {
                    break;
                }
            }
        }

        [Fact]
        public void TheChainedFormatOfEarlierVersions_IsRead_AndReplacedWithAGenerationOnWrite()
        {
            var api = new FakeCredentialApi();
            var parts = CredentialGenerations.Split(Large);
            api.Write(Target, "old", new[] { (byte)parts.Count }.Concat(parts[0]).ToArray());
            for (var i = 1; i < parts.Count; i++)
            {
                api.Write(Target + "#" + i, "old", parts[i]);
            }
            var store = new CredentialGenerations(api);

            Assert.Equal(Large, store.Read(Target));
            store.Write(Target, "label", Small);

            Assert.Equal(Small, store.Read(Target));
            Assert.DoesNotContain(api.Targets, t => t.StartsWith(Target + "#") && !t.StartsWith(Target + "#g"));
        }

        [Fact]
        public void PartsThatDoNotMatchTheHead_AreUnreadable_NotAMix()
        {
            var api = new FakeCredentialApi();
            var store = new CredentialGenerations(api);
            store.Write(Target, "label", Large);
            var part = api.Targets.First(t => t.EndsWith("#1"));
            api.Write(part, "tampered", Secret(500, seed: 9));

            Assert.Equal(ErrorIds.KeyringItemUnreadable, Assert.Throws<CtException>(() => store.Read(Target)).ErrorId);
        }

        [Fact]
        public void ASecretOfMoreThan255Parts_IsRefused_AndNothingIsWritten()
        {
            var api = new FakeCredentialApi();
            var error = Assert.Throws<CtException>(() => new CredentialGenerations(api).Write(Target, "label", new byte[256 * 500]));
            Assert.Equal(ErrorIds.KeyringItemTooLarge, error.ErrorId);
            Assert.Empty(api.Targets);
        }

        public static TheoryData<byte[], byte[]> Replacements => new TheoryData<byte[], byte[]>
        {
            { Small, Large },
            { Large, Small },
            { Large, Larger },
            { Larger, Large },
        };

        private static byte[] Secret(int length, int seed)
        {
            var bytes = new byte[length];
            new Random(seed).NextBytes(bytes);
            return bytes;
        }

        /// <summary>Generic credentials in a dictionary; can crash (stop the process) after a given number of changes.</summary>
        private sealed class FakeCredentialApi : ICredentialApi
        {
            private readonly Dictionary<string, byte[]> credentials = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            private int changes;

            public sealed class Crash : Exception
            {
            }

            public int? CrashAfter { get; set; }

            public Action? AfterEachChange { get; set; }

            public IReadOnlyCollection<string> Targets => credentials.Keys.ToList();

            public byte[] Blob(string target) => credentials[target];

            public int Count(byte[] secret) => CredentialGenerations.Split(secret).Count;

            public byte[]? Read(string target) => credentials.TryGetValue(target, out var blob) ? (byte[])blob.Clone() : null;

            public void Write(string target, string label, byte[] blob)
            {
                Change();
                credentials[target] = (byte[])blob.Clone();
                AfterEachChange?.Invoke();
            }

            public bool Delete(string target)
            {
                Change();
                var removed = credentials.Remove(target);
                AfterEachChange?.Invoke();
                return removed;
            }

            private void Change()
            {
                if (CrashAfter is int limit && changes++ >= limit)
                {
                    throw new Crash();
                }
            }
        }
    }
}
