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
    /// Resumable: the commit records the new primary key in the database; when the store holds a primary the database
    /// has not recorded, a rotation stopped before its commit, and a run finishes it with that key instead of making another.
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
                var current = keyRings.ReloadHoldingLock();
                var resumed = !keyRings.IsRecordedPrimary(current);
                var ring = resumed ? current : current.WithNewPrimary(out _);
                var reEncrypted = ReEncryptPending(ring, saveRing: !resumed, resumed ? StoppedMidway : DidNotStart, () => auditFor(current));
                var audit = auditFor(ring);
                var inUse = credentials.KeyIdsInUse();
                while (inUse.Any(id => id != ring.Primary.Id))
                {
                    // Tokens stored under an older key after the commit, by a session that still held the old ring.
                    reEncrypted += ReEncryptPending(ring, saveRing: false, StoppedMidway, () => audit);
                    inUse = credentials.KeyIdsInUse();
                }
                var retired = RetireUnused(ref ring, inUse);
                return audit.Append(AuditEventType.EncryptionKeyRotated, new AuditDetails()
                    .Add("new_key_id", ring.Primary.Id)
                    .Add("old_key_id", resumed ? null : current.Primary.Id)
                    .Add("retired_key_ids", string.Join(",", retired))
                    .Add("reencrypted", reEncrypted)
                    .Add("resumed", resumed));
            }
        }

        /// <summary>
        /// Re-encrypts every token not under the ring's primary key in one write transaction, which also records that key
        /// as the database's primary, saving the ring to the key store (when <paramref name="saveRing"/>) just before it commits.
        /// </summary>
        /// <returns>How many tokens were re-encrypted.</returns>
        private long ReEncryptPending(KeyRing ring, bool saveRing, string failure, Func<AuditLog> auditForFailure)
        {
            PendingToken? broken = null;
            using (var transaction = new CtTransaction(database.Connection))
            {
                var pending = credentials.TokensNotUnder(ring.Primary.Id, transaction);
                foreach (var row in pending)
                {
                    var token = ReEncrypt(ring, row);
                    if (token is null)
                    {
                        broken = row;
                        break;
                    }
                    credentials.ReplaceToken(transaction, row.RowId, token, ring.Primary.Id);
                }
                if (broken is null)
                {
                    if (saveRing)
                    {
                        keyRings.Replace(ring, transaction);
                    }
                    else
                    {
                        keyRings.RecordPrimary(ring, transaction);
                    }
                    transaction.Commit();
                    return pending.Count;
                }
            }
            // Rolled back; the ERROR record needs the connection free of that transaction.
            throw ApiKeyService.IntegrityFailure(auditForFailure(), broken.Exchange, broken.Name, failure);
        }

        /// <returns>The token under the ring's primary key, or null when it does not decrypt with the key it names.</returns>
        private static string? ReEncrypt(KeyRing ring, PendingToken row)
        {
            byte[] plaintext;
            try
            {
                plaintext = ring.Decrypt(row.Token, row.KeyId);
            }
            catch (Exception e) when (e is InvalidFernetTokenException || e is KeyNotFoundInKeyRingException)
            {
                return null;
            }
            try
            {
                return ring.Encrypt(plaintext).Token;
            }
            finally
            {
                Array.Clear(plaintext, 0, plaintext.Length);
            }
        }

        private List<string> RetireUnused(ref KeyRing ring, HashSet<string> inUse)
        {
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
                    ring = keyRings.ReloadHoldingLock();
                    retired.Clear();
                }
            }
            return retired;
        }
    }
}
