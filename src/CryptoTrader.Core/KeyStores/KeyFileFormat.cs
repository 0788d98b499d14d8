using System;
using System.Text.Json;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// The key file: JSON with the KDF parameters and the serialized key ring as a Fernet token
    /// under the passphrase key. A changed salt, cost or token fails the Fernet MAC. Version 2 files record that the
    /// passphrase is NFC-normalized before derivation; version 1 files (written before) derive from it as typed.
    /// </summary>
    internal static class KeyFileFormat
    {
        private const string FormatName = "CryptoTrader.KeyFile";
        private const string KdfName = "PBKDF2-HMAC-SHA256";
        private const int AsTypedVersion = 1;
        private const int NormalizedVersion = 2;
        private const string Nfc = "NFC";

        /// <summary>
        /// The longest key file read or written. A ring grows by about 160 bytes per rotation, so this holds over 20,000;
        /// a longer file (or a device) is not a key file, and reading it whole could exhaust memory.
        /// </summary>
        public const int MaxLength = 4 * 1024 * 1024;

        public sealed class Header
        {
            public Header(byte[] salt, int iterations, string token, bool normalized)
            {
                Salt = salt;
                Iterations = iterations;
                Token = token;
                Normalized = normalized;
            }

            /// <summary>Whether the passphrase is NFC-normalized before derivation (version 2).</summary>
            public bool Normalized { get; }

            public byte[] Salt { get; }

            public int Iterations { get; }

            public string Token { get; }
        }

        public static string Write(KeyRing ring, PassphraseKey key)
        {
            var token = Fernet.Encrypt(key.Key, System.Text.Encoding.UTF8.GetBytes(ring.Serialize()));
            using var buffer = new System.IO.MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteString("format", FormatName);
                writer.WriteNumber("version", key.Normalized ? NormalizedVersion : AsTypedVersion);
                writer.WriteString("kdf", KdfName);
                if (key.Normalized)
                {
                    writer.WriteString("passphrase_normalization", Nfc);
                }
                writer.WriteNumber("iterations", key.Iterations);
                writer.WriteString("salt", Convert.ToBase64String(key.Salt));
                writer.WriteString("keyring", token);
                writer.WriteEndObject();
            }
            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <summary>The file's bytes as text, without a byte order mark (an editor may have added one).</summary>
        public static string Decode(byte[] bytes)
        {
            var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return new System.Text.UTF8Encoding(false).GetString(bytes, bom, bytes.Length - bom);
        }

        public static Header ReadHeader(string text, string path)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                var version = root.GetProperty("format").GetString() == FormatName ? root.GetProperty("version").GetInt32() : 0;
                var normalized = version == NormalizedVersion
                    && root.TryGetProperty("passphrase_normalization", out var normalization) && normalization.ValueKind == JsonValueKind.String && normalization.GetString() == Nfc;
                if ((version != AsTypedVersion && !normalized) || root.GetProperty("kdf").GetString() != KdfName)
                {
                    throw Corrupt(path, "unknown format, version or KDF");
                }
                var iterations = root.GetProperty("iterations").GetInt32();
                if (iterations < PassphraseKey.MinimumIterations)
                {
                    throw Corrupt(path, $"KDF cost {iterations} is below the minimum {PassphraseKey.MinimumIterations}");
                }
                if (iterations > PassphraseKey.MaximumIterations)
                {
                    // The cost is read before anything in the file can be authenticated: a damaged or planted value
                    // must not make Unlock-CtKeyStore run for hours.
                    throw Corrupt(path, $"KDF cost {iterations} is above the maximum {PassphraseKey.MaximumIterations}");
                }
                var salt = Convert.FromBase64String(root.GetProperty("salt").GetString() ?? string.Empty);
                if (salt.Length < PassphraseKey.SaltLength)
                {
                    throw Corrupt(path, "salt too short");
                }
                return new Header(salt, iterations, root.GetProperty("keyring").GetString() ?? string.Empty, normalized);
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is InvalidOperationException || e is System.Collections.Generic.KeyNotFoundException)
            {
                throw Corrupt(path, "not a CryptoTrader key file", e);
            }
        }

        public static CtException TooLarge(string path) =>
            Corrupt(path, $"larger than {MaxLength / (1024 * 1024)} MiB, which no key file is; only the first {MaxLength / (1024 * 1024)} MiB were read");

        private static CtException Corrupt(string path, string why, Exception? inner = null) =>
            new CtException(ErrorIds.KeyFileCorrupt, CtErrorKind.InvalidData,
                $"The key file '{path}' is not usable ({why}). Restore it from a backup; CryptoTrader will not replace it.", path, inner);
    }
}
