using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>
    /// Update-CtEncryptionKey: a new primary key, every credential token re-encrypted under it, then the old
    /// keys retired (kept for audit records and stragglers, never used to encrypt again).
    /// The tokens are read, re-encrypted in memory and replaced in one write transaction, and each is decrypted once:
    /// a token that fails its check rolls everything back, and no other session can change a row in between.
    /// Crash-safe: the new key is saved to the store before that transaction commits, and no key is ever dropped.
    /// Resumable: if some tokens are not under the primary key, a run finishes that rotation instead of starting another.
    /// </summary>
    public sealed class KeyRotation
    {
        private const string StoppedMidway = "its token failed the integrity check during key rotation, so the rotation stopped; the other keys are intact and a rerun resumes it";
        private const string DidNotStart = "its token failed the integrity check, so the key rotation did not start and nothing was changed";

        private readonly CtDatabase database;
        private readonly DataHome home;
        private readonly KeyRingProvider keyRings;
        private readonly CredentialStore credentials;

        public KeyRotation(CtDatabase database, DataHome home, KeyRingProvider keyRings)
        {
            this.database = database;
            this.home = home;
            this.keyRings = keyRings;
            credentials = new CredentialStore(database);
        }

        /// <param name="auditFor">Opens the audit log sealed with a given key ring.</param>
        public AuditRecord Rotate(Func<KeyRing, AuditLog> auditFor)
        {
            using (KeyRingLock.Acquire(home))
            {
                var current = keyRings.Reload();
                var previousPrimary = current.Primary.Id;
                var resumed = credentials.KeyIdsInUse().Any(id => id != current.Primary.Id);
                var ring = resumed ? current : current.WithNewPrimary(out _);
                var reEncrypted = ReEncryptPending(ring, () => auditFor(current), resumed ? StoppedMidway : DidNotStart, saveRing: !resumed);
                var audit = auditFor(ring);
                reEncrypted += ReEncryptStragglers(ring, audit);
                var retired = RetireUnused(ref ring);
                return audit.Append(AuditEventType.EncryptionKeyRotated, new AuditDetails()
                    .Add("new_key_id", ring.Primary.Id)
                    .Add("old_key_id", resumed ? null : previousPrimary)
                    .Add("retired_key_ids", string.Join(",", retired))
                    .Add("reencrypted", reEncrypted)
                    .Add("resumed", resumed));
            }
        }

        /// <summary>Tokens stored under an older key after the rotation committed (by a session holding the old ring).</summary>
        private long ReEncryptStragglers(KeyRing ring, AuditLog audit)
        {
            long count = 0;
            // The key id index answers this at once; reading the table to find nothing would cost a full scan.
            while (credentials.KeyIdsInUse().Any(id => id != ring.Primary.Id))
            {
                count += ReEncryptPending(ring, () => audit, StoppedMidway, saveRing: false);
            }
            return count;
        }

        /// <summary>
        /// Re-encrypts every token not under the ring's primary key in one write transaction, saving the ring to the
        /// key store (when <paramref name="saveRing"/>) just before it commits. Returns how many tokens were replaced.
        /// </summary>
        private long ReEncryptPending(KeyRing ring, Func<AuditLog> auditForFailure, string failure, bool saveRing)
        {
            string brokenExchange;
            string brokenName;
            using (var transaction = new CtTransaction(database.Connection))
            {
                // Inside the write transaction, the table holds no more rows than this until the commit.
                using var pending = new PendingTokens(credentials.Count());
                int replaced;
                using (var reEncryption = ParallelReEncryption.Start(ring, pending))
                {
                    // Background threads re-encrypt rows as soon as they are read.
                    credentials.ReadTokensNotUnder(ring.Primary.Id, pending);
                    replaced = credentials.ReplaceTokens(pending, ring.Primary.Id, reEncryption.WaitFor);
                }
                if (replaced == pending.Count)
                {
                    if (saveRing)
                    {
                        keyRings.Replace(ring, transaction);
                    }
                    transaction.Commit();
                    return replaced;
                }
                // Rows are replaced in order, so the first one not replaced is the first broken one.
                brokenExchange = pending.Exchange(replaced);
                brokenName = pending.Name(replaced);
            }
            // Rolled back; the ERROR record needs the connection free of that transaction.
            throw ApiKeyService.IntegrityFailure(auditForFailure(), brokenExchange, brokenName, failure);
        }

        private List<string> RetireUnused(ref KeyRing ring)
        {
            var inUse = credentials.KeyIdsInUse();
            var retired = new List<string>();
            foreach (var key in ring.Keys)
            {
                if (key.Id != ring.Primary.Id && !key.Retired && !inUse.Contains(key.Id))
                {
                    ring = ring.WithRetired(key.Id);
                    retired.Add(key.Id);
                }
            }
            if (retired.Count > 0)
            {
                try
                {
                    keyRings.Replace(ring);
                }
                catch (CtException e) when (e.ErrorId == ErrorIds.KeyStoreReadOnly)
                {
                    // The environment store cannot record retirement: the re-encryption is done and the user
                    // drops the old key from the variable themselves.
                    ring = keyRings.Reload();
                    retired.Clear();
                }
            }
            return retired;
        }
    }
}
