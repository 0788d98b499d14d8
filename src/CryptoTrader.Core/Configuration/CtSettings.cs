using System;
using System.Collections.Generic;
using CryptoTrader.Core.KeyStores;

namespace CryptoTrader.Core.Configuration
{
    /// <summary>The settings of one database, typed.</summary>
    public sealed class CtSettings
    {
        public const string KeyRingSecretPrefix = "CryptoTrader.KeyRing.";

        public KeyStoreKind KeyStore { get; private set; } = KeyStoreKind.Auto;

        public string? Vault { get; private set; }

        public string? AuditUserId { get; private set; }

        public const int DefaultMaxApiKeyAgeDays = 90;

        /// <summary>API keys older than this many days draw a warning.</summary>
        public int MaxApiKeyAgeDays { get; private set; } = DefaultMaxApiKeyAgeDays;

        public KeyStoreKind? PinnedKeyStore { get; private set; }

        /// <summary>How long an unlocked key ring is kept in memory after it is read; null: until Lock-CtKeyStore or the end of the session.</summary>
        public TimeSpan? UnlockTimeout { get; private set; }

        /// <summary>The stored form of an unlock timeout (invariant "c" format); anything unreadable or not positive means none.</summary>
        public static TimeSpan? ParseUnlockTimeout(string? stored) =>
            stored != null && TimeSpan.TryParseExact(stored, "c", System.Globalization.CultureInfo.InvariantCulture, out var timeout) && timeout > TimeSpan.Zero
                ? timeout
                : (TimeSpan?)null;

        public static string FormatUnlockTimeout(TimeSpan timeout) => timeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The Coinbase Advanced Trade base URL when set (tests point it at a local server); null means the real one.</summary>
        public string? CoinbaseBaseUrl { get; private set; }

        /// <summary>The base URL Coinbase requests go to.</summary>
        public string EffectiveCoinbaseBaseUrl => CoinbaseBaseUrl ?? Exchanges.Coinbase.CoinbaseEndpoint.DefaultBaseUrl;

        public string DatabaseId { get; private set; } = string.Empty;

        /// <summary>The SecretManagement secret that holds this database's key ring.</summary>
        public string KeyRingSecretName => KeyRingSecretPrefix + DatabaseId;

        /// <summary>The audit user id: the configured one, else the OS user name.</summary>
        public string EffectiveAuditUserId => string.IsNullOrEmpty(AuditUserId) ? Environment.UserName : AuditUserId!;

        public static CtSettings Read(SettingsStore store) => FromValues(store.GetAll());

        /// <summary>These settings as they would be after the changes (for choosing the store before committing them).</summary>
        public CtSettings With(IEnumerable<SettingChange> changes)
        {
            var values = new Dictionary<string, string>();
            foreach (var pair in raw)
            {
                values[pair.Key] = pair.Value;
            }
            foreach (var change in changes)
            {
                if (change.NewValue is null)
                {
                    values.Remove(change.StorageName);
                }
                else
                {
                    values[change.StorageName] = change.NewValue;
                }
            }
            return FromValues(values);
        }

        private IReadOnlyDictionary<string, string> raw = new Dictionary<string, string>();

        private static CtSettings FromValues(IReadOnlyDictionary<string, string> all)
        {
            var settings = new CtSettings { raw = all };
            if (all.TryGetValue(SettingNames.KeyStore, out var kind) && Enum.TryParse<KeyStoreKind>(kind, out var parsed) && Enum.IsDefined(typeof(KeyStoreKind), parsed))
            {
                settings.KeyStore = parsed;
            }
            if (all.TryGetValue(SettingNames.KeyRingStore, out var pinned) && Enum.TryParse<KeyStoreKind>(pinned, out var pinnedKind) && Enum.IsDefined(typeof(KeyStoreKind), pinnedKind))
            {
                settings.PinnedKeyStore = pinnedKind;
            }
            settings.Vault = all.TryGetValue(SettingNames.Vault, out var vault) ? vault : null;
            settings.AuditUserId = all.TryGetValue(SettingNames.AuditUserId, out var user) ? user : null;
            settings.CoinbaseBaseUrl = all.TryGetValue(SettingNames.CoinbaseBaseUrl, out var coinbase) ? coinbase : null;
            if (all.TryGetValue(SettingNames.MaxApiKeyAgeDays, out var age) && int.TryParse(age, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) && days > 0)
            {
                settings.MaxApiKeyAgeDays = days;
            }
            settings.DatabaseId = all.TryGetValue(SettingNames.DatabaseId, out var id) ? id : string.Empty;
            settings.UnlockTimeout = ParseUnlockTimeout(all.TryGetValue(SettingNames.UnlockTimeout, out var timeout) ? timeout : null);
            return settings;
        }
    }
}
