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
    /// Each token is decrypted once: the new tokens are made in memory under the new key before anything is saved,
    /// so a token that fails its check stops the rotation with nothing changed. Crash-safe: the new key is in the
    /// store before any stored token uses it, the tokens are replaced in one transaction, and no key is ever
    /// dropped. Resumable: if some tokens are not under the primary key, a run finishes that rotation instead of
    /// starting another.
    /// </summary>
    public sealed class KeyRotation
    {
        private const string StoppedMidway = "its token failed the integrity check during key rotation, so the rotation stopped; the other keys are intact and a rerun resumes it";

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
                var pending = credentials.NotUnder(ring.Primary.Id);
                var tokens = ReEncrypt(ring, pending, () => auditFor(current), resumed
                    ? StoppedMidway
                    : "its token failed the integrity check, so the key rotation did not start and nothing was changed");
                if (!resumed)
                {
                    keyRings.Replace(ring);
                }
                var audit = auditFor(ring);
                var reEncrypted = Replace(pending, tokens, ring.Primary.Id);
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

        /// <summary>Tokens stored under an older key while the rotation ran (by a session holding the old ring).</summary>
        private long ReEncryptStragglers(KeyRing ring, AuditLog audit)
        {
            long count = 0;
            while (true)
            {
                var pending = credentials.NotUnder(ring.Primary.Id);
                if (pending.Count == 0)
                {
                    return count;
                }
                var tokens = ReEncrypt(ring, pending, () => audit,
                    StoppedMidway);
                count += Replace(pending, tokens, ring.Primary.Id);
            }
        }

        /// <summary>The credentials' tokens under the ring's primary key, made in memory; nothing is saved.</summary>
        private static string[] ReEncrypt(KeyRing ring, List<StoredCredential> pending, Func<AuditLog> auditForFailure, string failure)
        {
            var tokens = new string[pending.Count];
            var failed = new StoredCredential?[pending.Count];
            Parallel.For(0, pending.Count, i =>
            {
                try
                {
                    tokens[i] = ring.ReEncrypt(pending[i].Token, pending[i].KeyId, out _);
                }
                catch (Exception e) when (e is InvalidFernetTokenException || e is KeyNotFoundInKeyRingException)
                {
                    failed[i] = pending[i];
                }
            });
            var broken = failed.FirstOrDefault(f => f != null);
            if (broken != null)
            {
                throw ApiKeyService.IntegrityFailure(auditForFailure(), broken, failure);
            }
            return tokens;
        }

        private long Replace(List<StoredCredential> pending, string[] tokens, string keyId)
        {
            using var transaction = new CtTransaction(database.Connection);
            // A row changed meanwhile (Set-CtApiKey) is left alone and picked up again if it still needs it.
            long count = credentials.ReplaceTokens(transaction, pending, tokens, keyId);
            transaction.Commit();
            return count;
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
