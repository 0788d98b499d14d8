namespace CryptoTrader.Core.Credentials
{
    /// <summary>One row of the credentials table: the token, never the plaintext.</summary>
    internal sealed class StoredCredential
    {
        public StoredCredential(string exchange, string name, string token, string keyId, string fingerprint, string created, string updated,
            Exchanges.KeyCapabilities? capabilities = null)
        {
            Capabilities = capabilities;
            Exchange = exchange;
            Name = name;
            Token = token;
            KeyId = keyId;
            Fingerprint = fingerprint;
            Created = created;
            Updated = updated;
        }

        public string Exchange { get; }

        public string Name { get; }

        public string Token { get; }

        public string KeyId { get; }

        public string Fingerprint { get; }

        public string Created { get; }

        public string Updated { get; }

        /// <summary>What the exchange said the key may do when it was stored; null when not asked.</summary>
        public Exchanges.KeyCapabilities? Capabilities { get; }
    }
}
