using System;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>A Fernet token together with the id of the key ring entry that encrypted it.</summary>
    public sealed class EncryptedValue
    {
        public EncryptedValue(string token, string keyId)
        {
            Token = token ?? throw new ArgumentNullException(nameof(token));
            KeyId = keyId ?? throw new ArgumentNullException(nameof(keyId));
        }

        public string Token { get; }

        public string KeyId { get; }

        public override string ToString()
        {
            return "EncryptedValue(key " + KeyId + ")";
        }
    }
}
