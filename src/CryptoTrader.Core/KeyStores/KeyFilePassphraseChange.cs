using System;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// Set-CtKeyFilePassword: re-encrypts the key file under a new passphrase, atomically, under the key-ring lock (so no rotation
    /// writes the file meanwhile), with a CONFIG_CHANGED record; if the record cannot be written the old file is put back.
    /// </summary>
    public static class KeyFilePassphraseChange
    {
        public static AuditRecord Run(DataHome home, EncryptedFileKeyStore file, char[] current, char[] replacement, Func<KeyRing, AuditLog> auditFor)
        {
            PassphrasePolicy.RequireStrong(replacement, file.Path);
            using (KeyRingLock.Acquire(home))
            {
                AuditRecord? record = null;
                file.ChangePassphrase(current, replacement, ring => record = auditFor(ring).Append(AuditEventType.ConfigChanged, new AuditDetails()
                    .Add("setting", "KeyFilePassword")
                    .Add("action", "changed")
                    .Add("key_file", file.Path)
                    .Add("kdf", "PBKDF2-HMAC-SHA256")
                    .Add("iterations", (long)PassphraseKey.MinimumIterations)));
                return record!;
            }
        }
    }
}
