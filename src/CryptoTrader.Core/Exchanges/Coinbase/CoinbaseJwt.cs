using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;

namespace CryptoTrader.Core.Exchanges.Coinbase
{
    /// <summary>
    /// The bearer token of one request (CDP API keys): ES256 (or EdDSA for an Ed25519 key) over header {alg, kid, nonce, typ} and claims
    /// {sub, iss = cdp, nbf, exp = nbf + 120 s, uri = "METHOD host/path"}. The private key object exists only
    /// while the signature is made. The token itself is a credential: it never goes into a message or a record.
    /// </summary>
    internal static class CoinbaseJwt
    {
        public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(120);

        /// <param name="authority">Host, with the port only when it is not 443 (as in <see cref="Uri.Authority"/>).</param>
        public static string Create(ApiCredential credential, string method, string authority, string path, DateTimeOffset now)
        {
            var nbf = now.ToUnixTimeSeconds();
            using var key = CoinbaseKey.LoadSigner(credential.Secret);
            var header = Json(writer =>
            {
                writer.WriteString("alg", key.Algorithm);
                writer.WriteString("kid", credential.ApiKey);
                writer.WriteString("nonce", Hex.ToLower(SecureRandom.Bytes(16), 16));
                writer.WriteString("typ", "JWT");
            });
            var claims = Json(writer =>
            {
                writer.WriteString("sub", credential.ApiKey);
                writer.WriteString("iss", "cdp");
                writer.WriteNumber("nbf", nbf);
                writer.WriteNumber("exp", nbf + (long)Lifetime.TotalSeconds);
                writer.WriteString("uri", method.ToUpperInvariant() + " " + authority + path);
            });
            var signingInput = Encode(header) + "." + Encode(claims);
            return signingInput + "." + Encode(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
        }

        private static byte[] Json(Action<Utf8JsonWriter> write)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                write(writer);
                writer.WriteEndObject();
            }
            return buffer.ToArray();
        }

        private static string Encode(byte[] bytes) => Base64Url.Encode(bytes).TrimEnd('=');
    }
}
