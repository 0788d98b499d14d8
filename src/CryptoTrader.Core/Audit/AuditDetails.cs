using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// The details of an audit record: an ordered set of named scalar values (text, whole or decimal numbers,
    /// true/false, UTC times, null), serialized once as the JSON object that is stored, MAC'd and exported.
    /// Never put secret material here: pass fingerprints.
    /// </summary>
    public sealed class AuditDetails
    {
        private readonly List<KeyValuePair<string, object?>> values = new List<KeyValuePair<string, object?>>();

        public IReadOnlyList<KeyValuePair<string, object?>> Values => values;

        public AuditDetails Add(string name, string? value) => AddValue(name, value);

        public AuditDetails Add(string name, long value) => AddValue(name, value);

        public AuditDetails Add(string name, decimal value) => AddValue(name, value);

        public AuditDetails Add(string name, bool value) => AddValue(name, value);

        public AuditDetails Add(string name, DateTimeOffset? value) =>
            AddValue(name, value.HasValue ? AuditTime.Format(value.Value) : null);

        public string ToJson()
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, AuditJson.WriterOptions))
            {
                writer.WriteStartObject();
                foreach (var pair in values)
                {
                    writer.WritePropertyName(pair.Key);
                    AuditJson.WriteScalar(writer, pair.Value);
                }
                writer.WriteEndObject();
            }
            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }

        private AuditDetails AddValue(string name, object? value)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("A detail needs a name.", nameof(name));
            }
            if (values.Exists(pair => pair.Key == name))
            {
                throw new ArgumentException($"The detail '{name}' is already set.", nameof(name));
            }
            values.Add(new KeyValuePair<string, object?>(name, value));
            return this;
        }
    }
}
