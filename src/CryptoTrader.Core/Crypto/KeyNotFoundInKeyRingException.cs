using System.Collections.Generic;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>The key ring holds no key with the requested id.</summary>
    public sealed class KeyNotFoundInKeyRingException : KeyNotFoundException
    {
        public KeyNotFoundInKeyRingException(string keyId)
            : base("Key '" + Describe(keyId) + "' is not in the key ring.")
        {
            KeyId = keyId;
        }

        public string KeyId { get; }

        // The id comes from the caller; echo it only if it looks like an id and so cannot be key material.
        private static string Describe(string keyId)
        {
            return KeyRingEntry.IsWellFormedId(keyId) ? keyId : "(malformed id)";
        }
    }
}
