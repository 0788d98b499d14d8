using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
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
    /// Crash-safe: the new key is in the store before any token uses it, each batch of tokens is replaced in one
    /// transaction, and no key is ever dropped. Resumable: if some tokens are not under the primary key, a run
    /// finishes that rotation instead of starting another.
    /// </summary>
    public sealed class KeyRotation
    {
        private const int BatchSize = 1000;
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
                var ring = keyRings.Reload();
                var previousPrimary = ring.Primary.Id;
                var resumed = credentials.KeyIdsInUse().Any(id => id != ring.Primary.Id);
                if (!resumed)
                {
                    VerifyAll(ring, auditFor);
                    ring = ring.WithNewPrimary(out _);
                    keyRings.Replace(ring);
                }
                var audit = auditFor(ring);
                var reEncrypted = ReEncryptAll(ring, audit);
                var retired = RetireUnused(ref ring);
                return audit.Append(AuditEventType.EncryptionKeyRotated, new AuditDetails()
                    .Add("new_key_id", ring.Primary.Id)
                    .Add("old_key_id", resumed ? null : previousPrimary)
                    .Add("retired_key_ids", string.Join(",", retired))
                    .Add("reencrypted", reEncrypted)
                    .Add("resumed", resumed));
            }
        }

        // Before a new key is added: a token that fails its check stops the rotation while nothing is changed yet.
        private void VerifyAll(KeyRing ring, Func<KeyRing, AuditLog> auditFor)
        {
            var all = credentials.All();
            var failed = new StoredCredential?[all.Count];
            Parallel.For(0, all.Count, i =>
            {
                try
                {
                    var plaintext = ring.Decrypt(all[i].Token, all[i].KeyId);
                    Array.Clear(plaintext, 0, plaintext.Length);
                }
                catch (Exception e) when (e is InvalidFernetTokenException || e is KeyNotFoundInKeyRingException)
                {
                    failed[i] = all[i];
                }
            });
            var broken = failed.FirstOrDefault(f => f != null);
            if (broken != null)
            {
                throw ApiKeyService.IntegrityFailure(auditFor(ring), broken, "its token failed the integrity check, so the key rotation did not start and nothing was changed");
            }
        }

        private long ReEncryptAll(KeyRing ring, AuditLog audit)
        {
            long count = 0;
            while (true)
            {
                var batch = credentials.NotUnder(ring.Primary.Id, BatchSize);
                if (batch.Count == 0)
                {
                    return count;
                }
                var tokens = new string[batch.Count];
                var failed = new StoredCredential?[batch.Count];
                Parallel.For(0, batch.Count, i =>
                {
                    try
                    {
                        tokens[i] = ring.ReEncrypt(batch[i].Token, batch[i].KeyId, out _);
                    }
                    catch (Exception e) when (e is InvalidFernetTokenException || e is KeyNotFoundInKeyRingException)
                    {
                        failed[i] = batch[i];
                    }
                });
                var broken = failed.FirstOrDefault(f => f != null);
                if (broken != null)
                {
                    throw ApiKeyService.IntegrityFailure(audit, broken, "its token failed the integrity check during key rotation, so the rotation stopped; the other keys are intact and a rerun resumes it");
                }
                using (var transaction = new CtTransaction(database.Connection))
                {
                    // A row changed meanwhile (Set-CtApiKey) is simply picked up again if it still needs it.
                    count += credentials.ReplaceTokens(transaction, batch, tokens, ring.Primary.Id);
                    transaction.Commit();
                }
            }
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
