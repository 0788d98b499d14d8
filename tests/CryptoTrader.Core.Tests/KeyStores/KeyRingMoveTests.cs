using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Tests.Audit;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    /// <summary>Move-CtKeyRing's core: copy, read back and compare, switch in one audited transaction, then delete the old copy.</summary>
    public sealed class KeyRingMoveTests : IDisposable
    {
        private readonly AuditTestFolder folder = new AuditTestFolder();
        private readonly SettingsStore settings;
        private readonly SharedSlot from = new SharedSlot();
        private readonly SharedSlot to = new SharedSlot();
        private readonly KeyRingProvider source;
        private readonly KeyRing ring;

        public KeyRingMoveTests()
        {
            settings = new SettingsStore(folder.Database);
            from.Ring = folder.Ring;
            source = new KeyRingProvider(folder.Home, settings, new MemoryKeyStore(from, KeyStoreKind.File));
            ring = source.GetOrCreate();
        }

        public void Dispose()
        {
            KeyRingCache.Forget(folder.Home.Path);
            folder.Dispose();
        }

        [Fact]
        public void Run_CopiesTheRing_SwitchesTheFolderWithOneRecord_ThenDeletesTheOldCopy()
        {
            var target = new MemoryKeyStore(to, KeyStoreKind.SecretManagement);

            var outcome = Move(target).Run(r => new AuditLog(folder.Database, folder.Home, r, "system"), Switch, "File");

            Assert.Null(outcome.OldCopyLeft);
            Assert.Equal(ring.Serialize(), to.Ring!.Serialize());
            Assert.Null(from.Ring);
            Assert.Equal("SecretManagement", settings.Get(SettingNames.KeyRingStore));
            Assert.Null(settings.Get(SettingNames.KeyRingMovedFrom));
            Assert.Equal(AuditEventType.ConfigChanged, outcome.Record.EventType);
            Assert.Equal("File", outcome.Record.Details["old_value"]);
            Assert.Equal("SecretManagement", outcome.Record.Details["new_value"]);
            Assert.Equal(new MemoryKeyStore(from).Location, outcome.Record.Details["old_location"]);
            Assert.Equal(target.Location, outcome.Record.Details["new_location"]);
            Assert.True(folder.Verify().IsValid);
            Assert.Same(ring, new KeyRingProvider(folder.Home, settings, target).GetOrCreate());
        }

        [Fact]
        public void ATargetHoldingAnotherRing_IsLeftAlone_AndNothingMoves()
        {
            KeyRing other = KeyRing.CreateNew();
            to.Ring = other;

            var error = Assert.Throws<CtException>(() => Move(new MemoryKeyStore(to)).Run(r => new AuditLog(folder.Database, folder.Home, r, "system"), Switch, "File"));

            Assert.Equal(ErrorIds.KeyStoreOccupied, error.ErrorId);
            Assert.Same(other, to.Ring);
            Assert.Same(ring, from.Ring);
            Assert.Equal("File", settings.Get(SettingNames.KeyRingStore));
            Assert.DoesNotContain(folder.ReadAll(), r => r.EventType == AuditEventType.ConfigChanged);
        }

        [Fact]
        public void ACopyThatReadsBackDifferently_IsRemoved_AndTheFolderStaysOnTheOldStore()
        {
            var target = new CorruptingStore();

            var error = Assert.Throws<CtException>(() => Move(target).Run(r => new AuditLog(folder.Database, folder.Home, r, "system"), Switch, "File"));

            Assert.Equal(ErrorIds.KeyRingCopyMismatch, error.ErrorId);
            Assert.True(target.Deleted);
            Assert.Same(ring, from.Ring);
            Assert.Equal("File", settings.Get(SettingNames.KeyRingStore));
        }

        [Fact]
        public void AnOldCopyThatCannotBeDeleted_IsNamed_AndTheNoteLetsALaterRunDeleteIt()
        {
            var target = new MemoryKeyStore(to, KeyStoreKind.SecretManagement);
            var stubborn = new UndeletableStore(from);
            var move = new KeyRingMove(folder.Home, settings, new KeyRingProvider(folder.Home, settings, stubborn), target);

            var outcome = move.Run(r => new AuditLog(folder.Database, folder.Home, r, "system"), Switch, "File");

            Assert.Contains("could not be deleted", outcome.OldCopyLeft);
            Assert.Equal("SecretManagement", settings.Get(SettingNames.KeyRingStore));
            Assert.Equal("File", settings.Get(SettingNames.KeyRingMovedFrom));
            Assert.NotNull(from.Ring);

            Assert.Null(move.DeleteOldCopy(new MemoryKeyStore(from, KeyStoreKind.File)));
            Assert.Null(from.Ring);
            Assert.Null(settings.Get(SettingNames.KeyRingMovedFrom));
        }

        private static readonly IReadOnlyDictionary<string, string?> Switch = new Dictionary<string, string?> { [SettingNames.KeyRingStore] = "SecretManagement" };

        private KeyRingMove Move(IKeyStore target) => new KeyRingMove(folder.Home, settings, source, target);

        /// <summary>A store that hands back another ring than it was given (a vault that mangles the secret).</summary>
        private sealed class CorruptingStore : IKeyStore
        {
            private KeyRing? stored;

            public bool Deleted { get; private set; }

            public KeyStoreKind Kind => KeyStoreKind.SecretManagement;

            public string Location => "corrupting store";

            public string CacheKey => "corrupting";

            public KeyRing? Load() => stored is null ? null : stored.WithNewPrimary(out _);

            public void Save(KeyRing ring) => stored = ring;

            public bool Delete()
            {
                Deleted = true;
                stored = null;
                return true;
            }
        }

        private sealed class UndeletableStore : IKeyStore
        {
            private readonly MemoryKeyStore inner;

            public UndeletableStore(SharedSlot slot)
            {
                inner = new MemoryKeyStore(slot, KeyStoreKind.File);
            }

            public KeyStoreKind Kind => KeyStoreKind.File;

            public string Location => inner.Location;

            public string CacheKey => inner.CacheKey;

            public KeyRing? Load() => inner.Load();

            public void Save(KeyRing ring) => inner.Save(ring);

            public bool Delete() => throw new CtException(ErrorIds.KeyStoreUnavailable, CtErrorKind.ResourceUnavailable, "the vault is offline");
        }
    }
}
