namespace CryptoTrader.Core.Crypto
{
    /// <summary>The HKDF "info" strings for <see cref="KeyRing.DeriveSubkey"/>; each purpose gets an independent key.</summary>
    public static class SubkeyPurpose
    {
        public const string AuditChain = "audit-chain-mac";
        public const string Fingerprint = "fingerprint";
        public const string PermissionGrant = "permission-grant-mac";
    }
}
