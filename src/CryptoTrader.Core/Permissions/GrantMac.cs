using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using CryptoTrader.Core.Crypto;

namespace CryptoTrader.Core.Permissions
{
    /// <summary>
    /// The MAC that makes a grant trustworthy: HMAC-SHA256 under the key ring's permission-grant subkey over
    /// every field that decides what the grant allows, including the exchange and name it belongs to and the
    /// audit record that made it. A grant edited, copied to another credential or forged in the file fails.
    /// </summary>
    internal static class GrantMac
    {
        private const string Domain = "CryptoTrader.Grant.v1";

        // Version 2 adds the currency of MaxOrderValue; a grant stored before it has no currency and the first MAC.
        private const string DomainWithCurrency = "CryptoTrader.Grant.v2";

        public static string Compute(KeyRing ring, string keyId, TradingGrant grant)
        {
            using var buffer = new MemoryStream();
            var fields = new List<string>
            {
                grant.CurrencyRecorded ? DomainWithCurrency : Domain, grant.Exchange, grant.Name, "TradingEnabled", grant.GrantedBy, grant.GrantedAt, grant.ExpiresAt ?? string.Empty,
                grant.MaxOrderValue?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                grant.MaxOrdersPerDay?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                string.Join(",", grant.AllowedSymbols), grant.AuditSequence.ToString(CultureInfo.InvariantCulture), keyId,
            };
            if (grant.CurrencyRecorded)
            {
                fields.Add(grant.ValueCurrency);
            }
            foreach (var field in fields)
            {
                var bytes = Encoding.UTF8.GetBytes(field);
                var length = Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + ":");
                buffer.Write(length, 0, length.Length);
                buffer.Write(bytes, 0, bytes.Length);
            }
            var mac = HmacSha256.Compute(ring.DeriveSubkey(keyId, SubkeyPurpose.PermissionGrant), buffer.ToArray());
            return Hex.ToLower(mac, mac.Length);
        }

        public static bool Matches(KeyRing ring, TradingGrant grant) =>
            ring.Find(grant.KeyId) != null
            && ConstantTime.Equals(Encoding.ASCII.GetBytes(Compute(ring, grant.KeyId, grant)), Encoding.ASCII.GetBytes(grant.Mac));
    }
}
