using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>
    /// What a credential token encrypts: the exchange and name it belongs to (so a token moved to another row
    /// fails its check), the API key and the secret, as compact JSON.
    /// </summary>
    internal static class CredentialPayload
    {
        private const int Version = 1;

        public static byte[] Encode(string exchange, string name, string apiKey, char[] secret)
        {
            using var buffer = new MemoryStream(256 + secret.Length * 3);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("v", Version);
                writer.WriteString("exchange", exchange);
                writer.WriteString("name", name);
                writer.WriteString("api_key", apiKey);
                writer.WriteString("secret", secret.AsSpan());
                writer.WriteEndObject();
            }
            var bytes = buffer.ToArray();
            Array.Clear(buffer.GetBuffer(), 0, (int)buffer.Length);
            return bytes;
        }

        /// <summary>Null when the payload is not a credential of that exchange and name.</summary>
        public static ApiCredential? Decode(byte[] plaintext, string exchange, string name)
        {
            try
            {
                var reader = new Utf8JsonReader(plaintext);
                using var document = JsonDocument.ParseValue(ref reader);
                var root = document.RootElement;
                if (root.GetProperty("v").GetInt32() != Version
                    || root.GetProperty("exchange").GetString() != exchange
                    || root.GetProperty("name").GetString() != name)
                {
                    return null;
                }
                var apiKey = root.GetProperty("api_key").GetString() ?? string.Empty;
                var secret = Unescape(root.GetProperty("secret"));
                return new ApiCredential(exchange, name, apiKey, secret);
            }
            catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is System.Collections.Generic.KeyNotFoundException || e is FormatException)
            {
                return null;
            }
        }

        private static char[] Unescape(JsonElement element)
        {
            var text = element.GetString() ?? string.Empty;
            return text.ToCharArray();
        }
    }
}
