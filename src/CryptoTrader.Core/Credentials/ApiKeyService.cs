using System;
using System.Collections.Generic;
using System.Globalization;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>
    /// Stores, lists, removes and (for the exchange gate) decrypts exchange credentials. Every change is
    /// audited in its own transaction; key material never leaves as anything but a Fernet token or a fingerprint.
    /// </summary>
    public sealed class ApiKeyService
    {
        private readonly CredentialStore store;
        private readonly CtDatabase database;

        public ApiKeyService(CtDatabase database)
        {
            this.database = database;
            store = new CredentialStore(database);
        }

        /// <summary>Adds or replaces a credential; returns its API_KEY_CHANGED record. The caller keeps ownership of <paramref name="secret"/>.</summary>
        public AuditRecord Set(AuditLog audit, KeyRing ring, string exchange, string name, string apiKey, char[] secret) =>
            Set(audit, ring, exchange, name, apiKey, secret, out _);

        /// <summary>
        /// Adds or replaces a credential after the exchange's own checks: for Coinbase the secret must be a P-256
        /// private key, and the exchange is asked what the key may do (<paramref name="capabilities"/>; stored with it).
        /// Nothing is stored when a check fails.
        /// </summary>
        public AuditRecord Set(AuditLog audit, KeyRing ring, string exchange, string name, string apiKey, char[] secret, out KeyCapabilities? capabilities)
        {
            ApiKeyValidation.RequireValidApiKey(apiKey);
            ApiKeyValidation.RequireValidSecret(secret);
            capabilities = ExchangeKeyChecks.Inspect(database, exchange, name, apiKey, secret);
            var found = capabilities;
            var payload = CredentialPayload.Encode(exchange, name, apiKey, secret);
            try
            {
                var encrypted = ring.Encrypt(payload);
                var fingerprint = Fingerprint.Compute(ring.DeriveSubkey(ring.Primary.Id, SubkeyPurpose.Fingerprint), payload);
                var now = AuditTime.Format(DateTimeOffset.UtcNow);
                return audit.Write(transaction =>
                {
                    var existing = store.Find(exchange, name, transaction.Transaction);
                    store.Upsert(transaction, new StoredCredential(exchange, name, encrypted.Token, encrypted.KeyId, fingerprint, existing?.Created ?? now, now, found));
                    var details = new AuditDetails()
                        .Add("exchange", exchange)
                        .Add("name", name)
                        .Add("action", existing is null ? "added" : "updated")
                        .Add("fingerprint", fingerprint)
                        .Add("encryption_key_id", encrypted.KeyId);
                    if (found != null)
                    {
                        details.Add("can_view", found.CanView).Add("can_trade", found.CanTrade).Add("can_transfer", found.CanTransfer);
                    }
                    transaction.Append(AuditEventType.ApiKeyChanged, details);
                })[0];
            }
            finally
            {
                Array.Clear(payload, 0, payload.Length);
            }
        }

        /// <summary>False when a stored token names a key that <paramref name="ring"/> lacks: the ring must be read from the store again.</summary>
        public bool KnowsEveryKey(KeyRing ring)
        {
            foreach (var id in store.KeyIdsInUse())
            {
                if (ring.Find(id) is null)
                {
                    return false;
                }
            }
            return true;
        }

        public IReadOnlyList<ApiKeyInfo> List(int maxAgeDays)
        {
            var now = DateTime.UtcNow;
            var list = new List<ApiKeyInfo>();
            foreach (var row in store.All())
            {
                var updated = AuditTime.Parse(row.Updated);
                list.Add(new ApiKeyInfo
                {
                    Exchange = row.Exchange,
                    Name = row.Name,
                    Fingerprint = row.Fingerprint,
                    Created = AuditTime.Parse(row.Created),
                    Updated = updated,
                    AgeDays = (int)Math.Floor((now - updated).TotalDays),
                    EncryptionKeyId = row.KeyId,
                    CanView = row.Capabilities?.CanView,
                    CanTrade = row.Capabilities?.CanTrade,
                    CanTransfer = row.Capabilities?.CanTransfer,
                });
            }
            return list;
        }

        /// <summary>Deletes a credential and its trading grant; returns the API_KEY_CHANGED (removed) record, and the PERMISSION_CHANGED one when a grant went with it.</summary>
        public IReadOnlyList<AuditRecord> Remove(AuditLog audit, string exchange, string name)
        {
            return audit.Write(transaction =>
            {
                var existing = store.Find(exchange, name, transaction.Transaction) ?? throw NotFound(exchange, name);
                store.Delete(transaction, exchange, name);
                transaction.Append(AuditEventType.ApiKeyChanged, new AuditDetails()
                    .Add("exchange", exchange)
                    .Add("name", name)
                    .Add("action", "removed")
                    .Add("fingerprint", existing.Fingerprint));
                if (new Permissions.GrantStore(transaction.Connection).Delete(transaction.Transaction, exchange, name))
                {
                    transaction.Append(AuditEventType.PermissionChanged, new AuditDetails()
                        .Add("exchange", exchange)
                        .Add("name", name)
                        .Add("action", "removed")
                        .Add("level_after", "ReadOnly"));
                }
            });
        }

        /// <summary>
        /// Decrypts a credential for signing a request. A token that fails its integrity check is reported
        /// with an ERROR audit record and a CredentialIntegrityFailed error naming the exchange.
        /// </summary>
        /// <param name="refresh">
        /// Reads the key ring again (see <see cref="KeyStores.KeyRingProvider.Refresh"/>) when the token names a key
        /// <paramref name="ring"/> lacks: another session rotated after this one read its ring, which is no integrity failure.
        /// </param>
        public ApiCredential Reveal(AuditLog audit, KeyRing ring, string exchange, string name, Func<KeyRing, KeyRing?>? refresh = null)
        {
            var row = store.Find(exchange, name) ?? throw NotFound(exchange, name);
            ring = Covering(ring, row.KeyId, refresh);
            byte[]? plaintext = null;
            try
            {
                plaintext = ring.Decrypt(row.Token, row.KeyId);
                return CredentialPayload.Decode(plaintext, exchange, name) ?? throw IntegrityFailure(audit, row, "its content belongs to another credential");
            }
            catch (InvalidFernetTokenException)
            {
                throw IntegrityFailure(audit, row, "its token failed the Fernet MAC check");
            }
            catch (KeyNotFoundInKeyRingException)
            {
                throw IntegrityFailure(audit, row, $"key {row.KeyId} that encrypted it is not in the key ring");
            }
            finally
            {
                if (plaintext != null)
                {
                    Array.Clear(plaintext, 0, plaintext.Length);
                }
            }
        }

        /// <summary>Decrypts each stored credential (and forgets it at once) to prove it is still usable.</summary>
        public IEnumerable<ApiKeyCheck> Check(AuditLog audit, KeyRing ring, Func<ApiKeyInfo, bool> include, Func<KeyRing, KeyRing?>? refresh = null)
        {
            foreach (var row in store.All())
            {
                if (!include(new ApiKeyInfo { Exchange = row.Exchange, Name = row.Name }))
                {
                    continue;
                }
                var check = new ApiKeyCheck { Exchange = row.Exchange, Name = row.Name, Fingerprint = row.Fingerprint, EncryptionKeyId = row.KeyId };
                try
                {
                    ring = Covering(ring, row.KeyId, refresh);
                    using (Reveal(audit, ring, row.Exchange, row.Name, refresh))
                    {
                        check.IsValid = true;
                        check.Reason = "Decrypts and belongs to this exchange and name.";
                    }
                }
                catch (CtException e) when (e.ErrorId == ErrorIds.CredentialIntegrityFailed)
                {
                    check.Reason = e.Message;
                }
                yield return check;
            }
        }

        /// <summary><paramref name="ring"/>, or the store's newer ring when only that one has key <paramref name="keyId"/>.</summary>
        internal static KeyRing Covering(KeyRing ring, string keyId, Func<KeyRing, KeyRing?>? refresh) =>
            ring.Find(keyId) is null && refresh?.Invoke(ring) is KeyRing newer ? newer : ring;

        internal static CtException NotFound(string exchange, string name) =>
            new CtException(ErrorIds.CredentialNotFound, CtErrorKind.NotFound,
                $"No API key is stored for exchange '{exchange}' with name '{name}'. Store one with Set-CtApiKey -Exchange {exchange} -Name {name}.",
                exchange + "/" + name);

        internal static CtException IntegrityFailure(AuditLog audit, StoredCredential row, string why) =>
            IntegrityFailure(audit, row.Exchange, row.Name, why);

        internal static CtException IntegrityFailure(AuditLog audit, string exchange, string name, string why)
        {
            var message = $"The stored API key for exchange '{exchange}' (name '{name}') cannot be decrypted: {why}. " +
                "The database was changed outside CryptoTrader or is damaged; store the key again with Set-CtApiKey.";
            audit.Append(AuditEventType.Error, new AuditDetails()
                .Add("error_id", ErrorIds.CredentialIntegrityFailed)
                .Add("exchange", exchange)
                .Add("name", name)
                .Add("message", message));
            return new CtException(ErrorIds.CredentialIntegrityFailed, CtErrorKind.SecurityError, message, exchange);
        }
    }
}
