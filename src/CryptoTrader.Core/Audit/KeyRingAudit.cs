using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.KeyStores;

namespace CryptoTrader.Core.Audit
{
    /// <summary>The audit records of the key ring's life.</summary>
    public static class KeyRingAudit
    {
        public static AuditRecord Created(AuditLog audit, KeyRing ring, IKeyStore store) =>
            audit.Append(AuditEventType.EncryptionKeyCreated, new AuditDetails()
                .Add("key_id", ring.Primary.Id)
                .Add("key_store", store.Kind.ToString())
                .Add("location", store.Location));
    }
}
