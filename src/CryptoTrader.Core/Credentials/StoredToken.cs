using System;
using System.Globalization;
using CryptoTrader.Core.Crypto;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>
    /// How the credentials table holds a Fernet token: as its bytes (the base64url text decoded), a quarter smaller
    /// than the text, which key rotation rewrites for every credential. Everything above the table sees the text.
    /// </summary>
    internal static class StoredToken
    {
        /// <exception cref="ArgumentException"><paramref name="token"/> is not base64url (a Fernet token always is).</exception>
        public static byte[] ToBytes(string token) =>
            Base64Url.TryDecode(token) ?? throw new ArgumentException("A credential token must be base64url text.", nameof(token));

        /// <summary>
        /// The token text of a stored value: bytes are encoded; anything else (a value the migration to bytes could not
        /// decode, or one written behind the module's back) is kept as text, so decrypting it fails as the integrity error it is.
        /// </summary>
        public static string ToText(object stored) => stored switch
        {
            byte[] bytes => Base64Url.Encode(bytes),
            string text => text,
            _ => Convert.ToString(stored, CultureInfo.InvariantCulture) ?? string.Empty,
        };
    }
}
