namespace CryptoTrader.Core.Credentials
{
    /// <summary>A stored token that key rotation has yet to re-encrypt under the new primary key.</summary>
    internal sealed class PendingToken
    {
        public PendingToken(long rowId, string exchange, string name, string keyId, string token)
        {
            RowId = rowId;
            Exchange = exchange;
            Name = name;
            KeyId = keyId;
            Token = token;
        }

        public long RowId { get; }

        public string Exchange { get; }

        public string Name { get; }

        public string KeyId { get; }

        public string Token { get; }
    }
}
