using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// The serialized key ring:
    /// <c>{"version":1,"primary":"&lt;id&gt;","keys":[{"id":"..","created":"2025-01-01T00:00:00Z","key":"&lt;base64url&gt;","retired":false}]}</c>.
    /// Error messages quote only values already checked to be well-formed key ids.
    /// </summary>
    internal static class KeyRingJson
    {
        private const int CurrentVersion = 1;
        private const string CreatedFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

        public static string Write(IReadOnlyList<KeyRingEntry> entries, KeyRingEntry primary, string? auditAnchor)
        {
            using (MemoryStream stream = new MemoryStream())
            {
                using (Utf8JsonWriter writer = new Utf8JsonWriter(stream))
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("version", CurrentVersion);
                    writer.WriteString("primary", primary.Id);
                    writer.WriteStartArray("keys");
                    foreach (KeyRingEntry entry in entries)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("id", entry.Id);
                        writer.WriteString("created", entry.Created.UtcDateTime.ToString(CreatedFormat, CultureInfo.InvariantCulture));
                        writer.WriteString("key", entry.Key.ToBase64Url());
                        writer.WriteBoolean("retired", entry.Retired);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    if (auditAnchor != null)
                    {
                        writer.WriteString("audit_anchor", auditAnchor);
                    }

                    writer.WriteEndObject();
                }

                return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
            }
        }

        public static Document Read(string json)
        {
            JsonDocument parsed;
            try
            {
                parsed = JsonDocument.Parse(json);
            }
            catch (Exception e) when (e is JsonException || e is ArgumentException)
            {
                // ArgumentException: the text is not valid UTF-16 (a lone surrogate), which a vault can hand back.
                // The parser's message can quote the offending text, which may be key material: not chained.
                throw new InvalidKeyRingException("The key ring is not valid JSON.");
            }

            using (parsed)
            {
                JsonElement root = parsed.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidKeyRingException("The key ring must be a JSON object.");
                }

                if (!root.TryGetProperty("version", out JsonElement version)
                    || version.ValueKind != JsonValueKind.Number
                    || !version.TryGetInt32(out int versionNumber)
                    || versionNumber != CurrentVersion)
                {
                    throw new InvalidKeyRingException("The key ring must have \"version\": 1.");
                }

                string primaryId = ReadId(root, "primary", "The key ring's \"primary\"");

                if (!root.TryGetProperty("keys", out JsonElement keys)
                    || keys.ValueKind != JsonValueKind.Array
                    || keys.GetArrayLength() == 0)
                {
                    throw new InvalidKeyRingException("The key ring must have a non-empty \"keys\" array.");
                }

                List<KeyRingEntry> entries = new List<KeyRingEntry>();
                int index = 0;
                foreach (JsonElement item in keys.EnumerateArray())
                {
                    KeyRingEntry entry = ReadEntry(item, index);
                    if (entries.Exists(existing => existing.Id == entry.Id))
                    {
                        throw new InvalidKeyRingException("Key '" + entry.Id + "' appears more than once in the key ring.");
                    }

                    entries.Add(entry);
                    index++;
                }

                KeyRingEntry? primary = entries.Find(entry => entry.Id == primaryId);
                if (primary is null)
                {
                    throw new InvalidKeyRingException("The primary key '" + primaryId + "' is not in the key ring.");
                }

                if (primary.Retired)
                {
                    throw new InvalidKeyRingException("The primary key '" + primaryId + "' is retired.");
                }

                string? anchor = null;
                if (root.TryGetProperty("audit_anchor", out JsonElement anchorElement))
                {
                    anchor = anchorElement.ValueKind == JsonValueKind.String ? Text(anchorElement, "The key ring's \"audit_anchor\"") : null;
                    if (!IsAuditAnchor(anchor))
                    {
                        throw new InvalidKeyRingException("The key ring's \"audit_anchor\" must be \"<sequence>:<64 hex digits>\".");
                    }
                }

                return new Document(entries.ToArray(), primary, anchor);
            }
        }

        private static KeyRingEntry ReadEntry(JsonElement item, int index)
        {
            string where = "Key entry #" + (index + 1);
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidKeyRingException(where + " must be a JSON object.");
            }

            string id = ReadId(item, "id", where + "'s \"id\"");

            if (!item.TryGetProperty("created", out JsonElement createdElement)
                || createdElement.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(
                    Text(createdElement, where),
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                    out DateTimeOffset created))
            {
                throw new InvalidKeyRingException(where + " ('" + id + "') must have a \"created\" date and time.");
            }

            if (!item.TryGetProperty("retired", out JsonElement retiredElement)
                || (retiredElement.ValueKind != JsonValueKind.True && retiredElement.ValueKind != JsonValueKind.False))
            {
                throw new InvalidKeyRingException(where + " ('" + id + "') must have a boolean \"retired\".");
            }

            if (!item.TryGetProperty("key", out JsonElement keyElement) || keyElement.ValueKind != JsonValueKind.String)
            {
                throw new InvalidKeyRingException(where + " ('" + id + "') must have a \"key\" string.");
            }

            FernetKey key;
            try
            {
                key = FernetKey.Parse(Text(keyElement, where) ?? string.Empty);
            }
            catch (FormatException)
            {
                throw new InvalidKeyRingException(where + " ('" + id + "') has a \"key\" that is not a valid Fernet key.");
            }

            KeyRingEntry entry = new KeyRingEntry(key, created, retiredElement.GetBoolean());
            if (entry.Id != id)
            {
                throw new InvalidKeyRingException(where + ": id '" + id + "' does not belong to its key (expected '" + entry.Id + "').");
            }

            return entry;
        }

        private static string ReadId(JsonElement owner, string property, string what)
        {
            if (!owner.TryGetProperty(property, out JsonElement element) || element.ValueKind != JsonValueKind.String)
            {
                throw new InvalidKeyRingException(what + " must be a key id string.");
            }

            string? id = Text(element, what);
            if (!KeyRingEntry.IsWellFormedId(id))
            {
                throw new InvalidKeyRingException(what + " is not a well-formed key id ('k' and 16 lowercase hex digits).");
            }

            return id!;
        }

        /// <summary>A string value; one that is not valid UTF-16 (an escaped lone surrogate) makes the ring invalid.</summary>
        private static string? Text(JsonElement element, string where)
        {
            try
            {
                return element.GetString();
            }
            catch (InvalidOperationException)
            {
                throw new InvalidKeyRingException(where + " has a string that is not valid text.");
            }
        }

        /// <summary>"sequence:mac" of an audit record, as <see cref="KeyRing.AuditAnchor"/> holds it.</summary>
        public static bool IsAuditAnchor(string? text)
        {
            int colon = text?.IndexOf(':') ?? -1;
            if (colon < 1 || text!.Length - colon - 1 != 64 || !long.TryParse(text.Substring(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence) || sequence < 1)
            {
                return false;
            }

            for (int i = colon + 1; i < text.Length; i++)
            {
                if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
                {
                    return false;
                }
            }

            return true;
        }

        internal sealed class Document
        {
            public Document(KeyRingEntry[] entries, KeyRingEntry primary, string? auditAnchor)
            {
                Entries = entries;
                Primary = primary;
                AuditAnchor = auditAnchor;
            }

            public string? AuditAnchor { get; }

            public KeyRingEntry[] Entries { get; }

            public KeyRingEntry Primary { get; }
        }
    }
}
