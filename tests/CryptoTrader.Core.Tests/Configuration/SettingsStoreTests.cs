using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.Configuration
{
    public sealed class SettingsStoreTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();
        private readonly CtDatabase database;
        private readonly SettingsStore store;

        public SettingsStoreTests()
        {
            database = CtDatabase.Open(DataHome.At(folder.Path));
            store = new SettingsStore(database);
        }

        public void Dispose()
        {
            database.Dispose();
            folder.Dispose();
        }

        [Fact]
        public void Get_ReturnsNullForAnUnknownName()
        {
            Assert.Null(store.Get("no_such_setting"));
        }

        [Fact]
        public void Set_WritesSeveralValues_VisibleToAnotherConnection()
        {
            store.Set(new Dictionary<string, string?> { [SettingNames.Vault] = "MyVault", [SettingNames.AuditUserId] = "alice" });

            Assert.Equal("MyVault", store.Get(SettingNames.Vault));
            using CtDatabase other = CtDatabase.Open(DataHome.At(folder.Path));
            IReadOnlyDictionary<string, string> all = new SettingsStore(other).GetAll();
            Assert.Equal("MyVault", all[SettingNames.Vault]);
            Assert.Equal("alice", all[SettingNames.AuditUserId]);
            Assert.True(all.ContainsKey(SettingNames.DatabaseId));
        }

        [Fact]
        public void Set_ReplacesAnExistingValue()
        {
            store.Set(new Dictionary<string, string?> { [SettingNames.Vault] = "first" });
            store.Set(new Dictionary<string, string?> { [SettingNames.Vault] = "second" });

            Assert.Equal("second", store.Get(SettingNames.Vault));
            Assert.Single(store.GetAll(), pair => pair.Key == SettingNames.Vault);
        }

        [Fact]
        public void Set_NullRemovesTheSetting_AndLeavesTheOthers()
        {
            store.Set(new Dictionary<string, string?> { [SettingNames.Vault] = "v", [SettingNames.AuditUserId] = "u" });

            store.Set(new Dictionary<string, string?> { [SettingNames.Vault] = null, ["never_set"] = null });

            Assert.Null(store.Get(SettingNames.Vault));
            Assert.Equal("u", store.Get(SettingNames.AuditUserId));
            Assert.False(store.GetAll().ContainsKey("never_set"));
        }

        [Fact]
        public void Set_KeepsValuesVerbatim()
        {
            const string odd = "it's \"quoted\"; DROP TABLE settings; -- ünïcødé ✓";
            store.Set(new Dictionary<string, string?> { [SettingNames.AuditUserId] = odd });

            Assert.Equal(odd, store.Get(SettingNames.AuditUserId));
            Assert.Equal(odd, store.GetAll()[SettingNames.AuditUserId]);
        }

        [Fact]
        public void Set_IsAllOrNothing_WhenItFailsPartWay()
        {
            store.Set(new Dictionary<string, string?> { [SettingNames.Vault] = "before" });
            var failing = new FailingDictionary(new[]
            {
                new KeyValuePair<string, string?>(SettingNames.Vault, "after"),
                new KeyValuePair<string, string?>(SettingNames.AuditUserId, "bob"),
            });

            Assert.Throws<InvalidOperationException>(() => store.Set(failing));

            Assert.True(failing.YieldedBeforeFailing >= 2, "the failure must come after some rows were written");
            Assert.Equal("before", store.Get(SettingNames.Vault));
            Assert.Null(store.Get(SettingNames.AuditUserId));
            using CtDatabase other = CtDatabase.Open(DataHome.At(folder.Path));
            Assert.Equal("before", new SettingsStore(other).Get(SettingNames.Vault));

            // The connection is still usable after the rollback.
            store.Set(new Dictionary<string, string?> { [SettingNames.Vault] = "later" });
            Assert.Equal("later", store.Get(SettingNames.Vault));
        }

        /// <summary>Yields its pairs, then throws: Set has written rows by then and must roll them back.</summary>
        private sealed class FailingDictionary : IReadOnlyDictionary<string, string?>
        {
            private readonly KeyValuePair<string, string?>[] pairs;

            public FailingDictionary(KeyValuePair<string, string?>[] pairs) => this.pairs = pairs;

            public int YieldedBeforeFailing { get; private set; }

            public int Count => pairs.Length + 1;

            public IEnumerable<string> Keys => pairs.Select(p => p.Key);

            public IEnumerable<string?> Values => pairs.Select(p => p.Value);

            public string? this[string key] => pairs.First(p => p.Key == key).Value;

            public bool ContainsKey(string key) => pairs.Any(p => p.Key == key);

            public bool TryGetValue(string key, out string? value)
            {
                value = ContainsKey(key) ? this[key] : null;
                return ContainsKey(key);
            }

            public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
            {
                foreach (KeyValuePair<string, string?> pair in pairs)
                {
                    YieldedBeforeFailing++;
                    yield return pair;
                }

                throw new InvalidOperationException("simulated failure part-way through");
            }

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
