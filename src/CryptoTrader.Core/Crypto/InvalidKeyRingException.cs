using System;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>A serialized key ring is malformed or inconsistent. The message never contains key material.</summary>
    public sealed class InvalidKeyRingException : Exception
    {
        public InvalidKeyRingException(string message)
            : base(message)
        {
        }

        public InvalidKeyRingException()
            : base("The key ring is invalid.")
        {
        }

        public InvalidKeyRingException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
