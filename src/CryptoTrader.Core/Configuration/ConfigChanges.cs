using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Audit;

namespace CryptoTrader.Core.Configuration
{
    /// <summary>Applies setting changes together with one CONFIG_CHANGED record each, in one transaction.</summary>
    public static class ConfigChanges
    {
        public static IReadOnlyList<AuditRecord> Apply(AuditLog audit, SettingsStore settings, IReadOnlyList<SettingChange> changes) =>
            audit.Write(transaction =>
            {
                settings.Set(transaction, changes.ToDictionary(c => c.StorageName, c => c.NewValue));
                foreach (var change in changes)
                {
                    transaction.Append(AuditEventType.ConfigChanged, new AuditDetails()
                        .Add("setting", change.DisplayName)
                        .Add("old_value", change.OldValue)
                        .Add("new_value", change.NewValue));
                }
            });
    }
}
