using System.Collections.Generic;

namespace CryptoTrader.Core.Errors
{
    /// <summary>
    /// The failures that end a whole command rather than one of its inputs: the data folder, the database, the key
    /// store or the audit log is unusable, so every later input would fail too; and the deliberate SecurityCheckFailed
    /// gate. Any other failure is about one input: the command reports it and goes on with the next.
    /// </summary>
    public static class TerminatingErrors
    {
        private static readonly HashSet<string> Ids = new HashSet<string>
        {
            ErrorIds.DataFolderUnavailable,
            ErrorIds.DataFolderInsecure,
            ErrorIds.DatabaseUnavailable,
            ErrorIds.DatabaseCorrupt,
            ErrorIds.DatabaseMissing,
            ErrorIds.DatabaseTooNew,
            ErrorIds.KeyStoreLocked,
            ErrorIds.KeyStoreUnavailable,
            ErrorIds.KeyStoreReadOnly,
            ErrorIds.KeyStoreNotUnlockable,
            ErrorIds.KeyFileInsecure,
            ErrorIds.KeyFileCorrupt,
            ErrorIds.KeyRingMissing,
            ErrorIds.KeyRingInvalid,
            ErrorIds.KeyRingMismatch,
            ErrorIds.KeyRingLockTimeout,
            ErrorIds.EnvironmentKeyMissing,
            ErrorIds.EnvironmentKeyInvalid,
            ErrorIds.KeyringUnavailable,
            ErrorIds.KeyringServiceMissing,
            ErrorIds.KeyringLocked,
            ErrorIds.KeyringItemUnreadable,
            ErrorIds.KeyringItemTooLarge,
            ErrorIds.KeyringFailed,
            ErrorIds.AuditWriteFailed,
            ErrorIds.AuditLogTampered,
            ErrorIds.AuditLogRolledBack,
            ErrorIds.SecurityCheckFailed,
        };

        public static bool Includes(string errorId) => Ids.Contains(errorId);
    }
}
