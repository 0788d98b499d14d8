using System;
using System.Collections.Generic;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// Move-CtKeyRing: copies the key ring (the whole object as loaded) to another store, reads it back and compares, switches
    /// the data folder to that store (its settings and one CONFIG_CHANGED record naming both stores, in one transaction), then
    /// deletes the old copy. Until the switch commits the folder opens with the old store; from then on with the new one, which
    /// already holds the verified copy. A kill between the switch and the delete leaves the old copy and a
    /// <see cref="SettingNames.KeyRingMovedFrom"/> note; the next Move-CtKeyRing deletes it. All of it runs under the key-ring
    /// lock, so no rotation changes the ring in between.
    /// </summary>
    public sealed class KeyRingMove
    {
        private readonly DataHome home;
        private readonly SettingsStore settings;
        private readonly KeyRingProvider source;
        private readonly IKeyStore target;

        public KeyRingMove(DataHome home, SettingsStore settings, KeyRingProvider source, IKeyStore target)
        {
            this.home = home;
            this.settings = settings;
            this.source = source;
            this.target = target;
        }

        /// <summary>What a move did: its record, and why the old copy is still there when it could not be deleted.</summary>
        public sealed class Outcome
        {
            internal Outcome(AuditRecord record, string? oldCopyLeft)
            {
                Record = record;
                OldCopyLeft = oldCopyLeft;
            }

            public AuditRecord Record { get; }

            public string? OldCopyLeft { get; }
        }

        /// <param name="auditFor">Opens the audit log sealed with the ring.</param>
        /// <param name="switchTo">The settings that make the data folder use the target store.</param>
        /// <param name="sourceNote">How to find the source store again (for <see cref="SettingNames.KeyRingMovedFrom"/>).</param>
        public Outcome Run(Func<KeyRing, AuditLog> auditFor, IReadOnlyDictionary<string, string?> switchTo, string sourceNote)
        {
            using (KeyRingLock.Acquire(home))
            {
                var ring = source.ReloadHoldingLock();
                var existing = target.Load();
                if (existing is null)
                {
                    target.Save(ring);
                }
                else if (!SameRing(existing, ring))
                {
                    throw new CtException(ErrorIds.KeyStoreOccupied, CtErrorKind.InvalidOperation,
                        $"{target.Location} already holds another key ring (not this database's); it was left alone and nothing was moved. " +
                        "Choose another vault with -Vault, or remove that key ring there if it is no longer needed.", target.Location);
                }
                var copy = target.Load();
                if (copy is null || !SameRing(copy, ring))
                {
                    if (existing is null)
                    {
                        target.Delete();
                    }
                    throw new CtException(ErrorIds.KeyRingCopyMismatch, CtErrorKind.WriteError,
                        $"The key ring written to {target.Location} did not read back the same, so the data folder still uses {source.Store.Location} and nothing else changed. Check the store and retry.",
                        target.Location);
                }
                var changes = new Dictionary<string, string?>();
                foreach (var pair in switchTo)
                {
                    changes[pair.Key] = pair.Value;
                }
                changes[SettingNames.KeyRingMovedFrom] = sourceNote;
                var record = auditFor(ring).Write(transaction =>
                {
                    settings.Set(transaction, changes);
                    transaction.Append(AuditEventType.ConfigChanged, new AuditDetails()
                        .Add("setting", "KeyStore")
                        .Add("action", "moved")
                        .Add("old_value", source.Store.Kind.ToString())
                        .Add("new_value", target.Kind.ToString())
                        .Add("old_location", source.Store.Location)
                        .Add("new_location", target.Location)
                        .Add("key_id", ring.Primary.Id));
                })[0];
                KeyRingCache.Put(home.Path, target, ring, source.UnlockTimeout());
                return new Outcome(record, DeleteOldCopy(source.Store));
            }
        }

        /// <summary>
        /// Deletes the copy a move left in <paramref name="old"/> and clears the note; the reason it is still there when that
        /// fails, else null. The caller has checked that the data folder uses another store.
        /// </summary>
        public string? DeleteOldCopy(IKeyStore old)
        {
            try
            {
                old.Delete();
            }
            catch (CtException e)
            {
                return $"The key ring is now in {target.Location}, but its old copy in {old.Location} could not be deleted: {e.Message} " +
                    "Run Move-CtKeyRing again with the same -KeyStore to retry, or delete it there yourself.";
            }
            settings.Set(new Dictionary<string, string?> { [SettingNames.KeyRingMovedFrom] = null });
            return null;
        }

        /// <summary>The same keys, ids, times, flags and any other field: the serialized forms are equal (compared in constant time).</summary>
        private static bool SameRing(KeyRing left, KeyRing right)
        {
            var a = System.Text.Encoding.UTF8.GetBytes(left.Serialize());
            var b = System.Text.Encoding.UTF8.GetBytes(right.Serialize());
            try
            {
                return ConstantTime.Equals(a, b);
            }
            finally
            {
                Array.Clear(a, 0, a.Length);
                Array.Clear(b, 0, b.Length);
            }
        }
    }
}
