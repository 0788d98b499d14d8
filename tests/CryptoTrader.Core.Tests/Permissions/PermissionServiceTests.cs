using System;
using System.Linq;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Tests.Trading;
using Xunit;

namespace CryptoTrader.Core.Tests.Permissions
{
    /// <summary>Grants and revokes, and whether a stored grant is honoured: its MAC, its audit record, later records, expiry.</summary>
    public class PermissionServiceTests
    {
        private const string Paper = TradingTestFolder.Paper;
        private const string Name = TradingTestFolder.Name;

        [Fact]
        public void NewCredential_IsReadOnly()
        {
            using var t = new TradingTestFolder();

            var info = t.Permissions.Describe(t.Ring, Paper, Name);

            Assert.Equal("ReadOnly", info.Level);
            Assert.True(info.IntegrityValid);
            Assert.Null(info.GrantedAt);
            Assert.Equal(GrantState.None, t.Permissions.Evaluate(t.Ring, Paper, Name).State);
        }

        [Fact]
        public void Grant_WritesOnePermissionRecordWithTheLimits_AndIsHonoured()
        {
            using var t = new TradingTestFolder();

            var record = t.Grant(new GrantLimits { Duration = TimeSpan.FromHours(2), MaxOrderValue = 1000.5m, MaxOrdersPerDay = 3, AllowedSymbols = new[] { "BTC-USD", "ETH-USD" } });

            Assert.Equal(AuditEventType.PermissionChanged, record.EventType);
            Assert.Equal("granted", record.Details["action"]);
            Assert.Equal("ReadOnly", record.Details["level_before"]);
            Assert.Equal("TradingEnabled", record.Details["level_after"]);
            Assert.Equal("system", record.Details["granted_by"]);
            Assert.Equal("1000.5", record.Details["max_order_value"]);
            Assert.Equal("3", record.Details["max_orders_per_day"]);
            Assert.Equal("BTC-USD,ETH-USD", record.Details["allowed_symbols"]);
            Assert.NotNull(record.Details["expires_at"]);
            var info = t.Permissions.Describe(t.Ring, Paper, Name);
            Assert.Equal("TradingEnabled", info.Level);
            Assert.True(info.IntegrityValid);
            Assert.Equal(1000.5m, info.MaxOrderValue);
            Assert.Equal(3, info.MaxOrdersPerDay);
            Assert.Equal(new[] { "BTC-USD", "ETH-USD" }, info.AllowedSymbols);
            Assert.InRange(info.ExpiresAt!.Value, DateTime.UtcNow.AddMinutes(115), DateTime.UtcNow.AddMinutes(121));
            Assert.Equal(DateTimeKind.Utc, info.ExpiresAt!.Value.Kind);
        }

        [Fact]
        public void GrantAgain_ReplacesTheGrant_LevelBeforeIsTradingEnabled()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrderValue = 10m });

            var second = t.Grant(new GrantLimits { MaxOrderValue = 20m });

            Assert.Equal("TradingEnabled", second.Details["level_before"]);
            var info = t.Permissions.Describe(t.Ring, Paper, Name);
            Assert.Equal("TradingEnabled", info.Level);
            Assert.Equal(20m, info.MaxOrderValue);
        }

        [Fact]
        public void Revoke_MakesItReadOnly_AndRevokingAgainWritesNothing()
        {
            using var t = new TradingTestFolder();
            t.Grant();

            var record = t.Permissions.Revoke(t.Log, t.Ring, Paper, Name);

            Assert.NotNull(record);
            Assert.Equal("revoked", record!.Details["action"]);
            Assert.Equal("TradingEnabled", record.Details["level_before"]);
            Assert.Equal("ReadOnly", t.Permissions.Describe(t.Ring, Paper, Name).Level);
            var count = t.Folder.RawCount();
            Assert.Null(t.Permissions.Revoke(t.Log, t.Ring, Paper, Name));
            Assert.Equal(count, t.Folder.RawCount());
        }

        [Fact]
        public void GrantForAMissingCredential_FailsAndWritesNothing()
        {
            using var t = new TradingTestFolder();
            var count = t.Folder.RawCount();

            var e = Assert.Throws<CtException>(() => t.Grant(name: "nobody"));

            Assert.Equal(ErrorIds.CredentialNotFound, e.ErrorId);
            Assert.Equal(count, t.Folder.RawCount());
            Assert.Equal(0L, Convert.ToInt64(t.Folder.RawScalar("SELECT count(*) FROM grants;")));
        }

        [Theory]
        [InlineData("duration")]
        [InlineData("value")]
        [InlineData("orders")]
        public void NonPositiveLimits_AreRefused(string which)
        {
            using var t = new TradingTestFolder();
            var limits = which switch
            {
                "duration" => new GrantLimits { Duration = TimeSpan.FromSeconds(-1) },
                "value" => new GrantLimits { MaxOrderValue = 0m },
                _ => new GrantLimits { MaxOrdersPerDay = 0 },
            };

            Assert.Equal(ErrorIds.InvalidGrant, Assert.Throws<CtException>(() => t.Grant(limits)).ErrorId);
            Assert.Equal("ReadOnly", t.Permissions.Describe(t.Ring, Paper, Name).Level);
        }

        [Theory]
        [InlineData("UPDATE grants SET max_order_value = '1000000';")]
        [InlineData("UPDATE grants SET max_order_value = NULL;")]
        [InlineData("UPDATE grants SET max_orders_per_day = 1000;")]
        [InlineData("UPDATE grants SET allowed_symbols = 'BTC-USD,ETH-USD';")]
        [InlineData("UPDATE grants SET allowed_symbols = '';")]
        [InlineData("UPDATE grants SET expires_at = '2999-01-01T00:00:00Z';")]
        [InlineData("UPDATE grants SET expires_at = NULL;")]
        [InlineData("UPDATE grants SET granted_by = 'mallory';")]
        [InlineData("UPDATE grants SET granted_at = '2020-01-01T00:00:00Z';")]
        [InlineData("UPDATE grants SET audit_sequence = 1;")]
        [InlineData("UPDATE grants SET mac = upper(mac);")]
        [InlineData("UPDATE grants SET mac = '';")]
        [InlineData("UPDATE grants SET key_id = 'k-made-up';")]
        public void AnyEditedField_FailsTheIntegrityCheck(string sql)
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { Duration = TimeSpan.FromHours(1), MaxOrderValue = 100m, MaxOrdersPerDay = 2, AllowedSymbols = new[] { "BTC-USD" } });

            t.Folder.Tamper(sql);

            AssertNotHonoured(t, Name);
        }

        [Fact]
        public void GrantCopiedToAnotherCredential_FailsTheIntegrityCheck_TheOriginalStaysValid()
        {
            using var t = new TradingTestFolder();
            t.StoreKey("other");
            t.Grant();

            t.Folder.Tamper("INSERT INTO grants SELECT exchange, 'other', granted_by, granted_at, expires_at, max_order_value, max_orders_per_day, allowed_symbols, audit_sequence, key_id, mac, expiry_recorded, value_currency FROM grants;");

            AssertNotHonoured(t, "other");
            Assert.Equal(GrantState.Valid, t.Permissions.Evaluate(t.Ring, Paper, Name).State);
        }

        [Fact]
        public void GrantCopiedToAnotherExchange_FailsTheIntegrityCheck()
        {
            using var t = new TradingTestFolder();
            t.Grant();

            t.Folder.Tamper("INSERT INTO grants SELECT 'coinbase', name, granted_by, granted_at, expires_at, max_order_value, max_orders_per_day, allowed_symbols, audit_sequence, key_id, mac, expiry_recorded, value_currency FROM grants;");

            var verdict = t.Permissions.Evaluate(t.Ring, "coinbase", Name);
            Assert.Equal(GrantState.IntegrityFailed, verdict.State);
        }

        [Fact]
        public void RevokedGrantPutBack_IsNotHonoured()
        {
            using var t = new TradingTestFolder();
            t.Grant();
            t.Folder.Tamper("CREATE TABLE saved_grant AS SELECT * FROM grants;");
            t.Permissions.Revoke(t.Log, t.Ring, Paper, Name);

            t.Folder.Tamper("INSERT INTO grants SELECT * FROM saved_grant;");

            AssertNotHonoured(t, Name);
        }

        [Fact]
        public void SupersededGrantPutBack_IsNotHonoured()
        {
            // A narrower grant replaced a wide one; the attacker restores the wide row.
            using var t = new TradingTestFolder();
            t.Grant();
            t.Folder.Tamper("CREATE TABLE saved_grant AS SELECT * FROM grants;");
            t.Grant(new GrantLimits { MaxOrderValue = 1m });

            t.Folder.Tamper("DELETE FROM grants; INSERT INTO grants SELECT * FROM saved_grant;");

            AssertNotHonoured(t, Name);
        }

        [Fact]
        public void ForgedRow_IsNotHonoured()
        {
            using var t = new TradingTestFolder();
            t.Folder.Tamper("INSERT INTO grants (exchange, name, granted_by, granted_at, audit_sequence, key_id, mac) " +
                $"VALUES ('paper', 'default', 'mallory', '2024-01-01T00:00:00Z', 1, '{t.Ring.Primary.Id}', '{new string('a', 64)}');");

            AssertNotHonoured(t, Name);
        }

        [Fact]
        public void ForgedRowWithAValidMac_ButNoGrantRecord_IsNotHonoured()
        {
            // Even with the key (e.g. a MAC computed by a bug or a leaked subkey), a grant must point at the genuine PERMISSION_CHANGED record.
            using var t = new TradingTestFolder();
            var forged = new TradingGrant
            {
                Exchange = Paper, Name = Name, GrantedBy = "mallory", GrantedAt = AuditTime.Format(DateTimeOffset.UtcNow),
                AuditSequence = 1, KeyId = t.Ring.Primary.Id,
            };
            forged.Mac = GrantMac.Compute(t.Ring, forged.KeyId, forged);
            t.Folder.Tamper("INSERT INTO grants (exchange, name, granted_by, granted_at, audit_sequence, key_id, mac) VALUES ($e, $n, $b, $a, 1, $k, $m);",
                ("$e", Paper), ("$n", Name), ("$b", forged.GrantedBy), ("$a", forged.GrantedAt), ("$k", forged.KeyId), ("$m", forged.Mac));

            AssertNotHonoured(t, Name);
        }

        [Fact]
        public void ExpiredGrant_IsReadOnlyButNotAnIntegrityFailure()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { Duration = TimeSpan.FromMilliseconds(1) });
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (t.Permissions.Evaluate(t.Ring, Paper, Name).State != GrantState.Expired)
            {
                Assert.True(DateTime.UtcNow < deadline);
                System.Threading.Thread.Sleep(50);
            }

            var info = t.Permissions.Describe(t.Ring, Paper, Name);

            Assert.Equal("ReadOnly", info.Level);
            Assert.True(info.IntegrityValid);
            Assert.Contains("expired", info.Status);
        }

        [Fact]
        public void KeyRotation_KeepsTheGrantValid_WhileTheOldKeyIsRetiredNotRemoved()
        {
            using var t = new TradingTestFolder();
            t.Grant();
            var oldKey = t.Ring.Primary.Id;
            var rotated = t.Ring.WithNewPrimary(out _).WithRetired(oldKey);

            Assert.Equal(GrantState.Valid, t.Permissions.Evaluate(rotated, Paper, Name).State);
            // Without the key that sealed the log's facts, nothing about the grant can be trusted.
            var error = Assert.ThrowsAny<CryptoTrader.Core.Errors.CtException>(() => t.Permissions.Evaluate(t.Ring.WithNewPrimary(out _).Remove(oldKey), Paper, Name));
            Assert.Equal(CryptoTrader.Core.Errors.ErrorIds.AuditLogTampered, error.ErrorId);
        }

        [Fact]
        public void RemovingTheCredential_RemovesItsGrant()
        {
            using var t = new TradingTestFolder();
            t.Grant();

            var records = new CryptoTrader.Core.Credentials.ApiKeyService(t.Database).Remove(t.Log, Paper, Name);

            Assert.Equal(new[] { AuditEventType.ApiKeyChanged, AuditEventType.PermissionChanged }, records.Select(r => r.EventType));
            Assert.Equal("removed", records[1].Details["action"]);
            t.StoreKey(Name);
            Assert.Equal("ReadOnly", t.Permissions.Describe(t.Ring, Paper, Name).Level);
        }

        [Theory]
        [InlineData("UPDATE grants SET max_order_value = 'lots';")]
        [InlineData("UPDATE grants SET max_orders_per_day = 'many';")]
        [InlineData("UPDATE grants SET expires_at = 'never';")]
        [InlineData("UPDATE grants SET granted_at = 'yesterday';")]
        public void UnreadableRow_IsShownAsFailingItsIntegrityCheck_AndCanBeRevoked(string sql)
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { Duration = TimeSpan.FromHours(1), MaxOrderValue = 100m, MaxOrdersPerDay = 2 });
            t.Folder.Tamper(sql);

            AssertNotHonoured(t, Name);
            var revoked = t.Permissions.Revoke(t.Log, t.Ring, Paper, Name);
            Assert.Equal("ReadOnly", revoked!.Details["level_before"]);
            Assert.Equal(0L, Convert.ToInt64(t.Folder.RawScalar("SELECT count(*) FROM grants;")));
        }

        [Fact]
        public void UnreadableRow_CanBeReplacedByANewGrant()
        {
            using var t = new TradingTestFolder();
            t.Grant(new GrantLimits { MaxOrderValue = 100m });
            t.Folder.Tamper("UPDATE grants SET max_order_value = 'lots';");

            var record = t.Grant(new GrantLimits { MaxOrderValue = 200m });

            Assert.Equal("ReadOnly", record.Details["level_before"]);
            Assert.Equal(GrantState.Valid, t.Permissions.Evaluate(t.Ring, Paper, Name).State);
        }

        private static void AssertNotHonoured(TradingTestFolder t, string name)
        {
            var verdict = t.Permissions.Evaluate(t.Ring, Paper, name);
            Assert.Equal(GrantState.IntegrityFailed, verdict.State);
            var info = t.Permissions.Describe(t.Ring, Paper, name);
            Assert.False(info.IntegrityValid);
            Assert.Equal("ReadOnly", info.Level);
        }
    }
}
