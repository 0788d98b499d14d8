using System;
using System.Security.Cryptography;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>A Fernet token was malformed, forged, tampered with, expired, or encrypted under another key.</summary>
    /// <remarks>The message names only a generic reason; it never contains the token, key or plaintext.</remarks>
    public sealed class InvalidFernetTokenException : CryptographicException
    {
        public InvalidFernetTokenException(string reason)
            : base("Invalid Fernet token: " + reason)
        {
        }

        public InvalidFernetTokenException()
            : base("Invalid Fernet token.")
        {
        }

        public InvalidFernetTokenException(string reason, Exception innerException)
            : base("Invalid Fernet token: " + reason, innerException)
        {
        }
    }
}
