using System;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CryptoTrader.Core.Audit
{
    /// <summary>The JSON conventions shared by stored details and exports.</summary>
    internal static class AuditJson
    {
        public static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Indented = false,
        };

        public static void WriteScalar(Utf8JsonWriter writer, object? value)
        {
            switch (value)
            {
                case null: writer.WriteNullValue(); break;
                case string text: writer.WriteStringValue(text); break;
                case bool flag: writer.WriteBooleanValue(flag); break;
                case long whole: writer.WriteNumberValue(whole); break;
                case decimal number: writer.WriteNumberValue(number); break;
                default: throw new ArgumentException("Unsupported detail value type " + value.GetType().Name);
            }
        }

        /// <summary>Reads stored details back into an ordered dictionary of scalars (whole numbers as long, others as decimal).</summary>
        public static System.Collections.Specialized.OrderedDictionary ReadDetails(string json)
        {
            var result = new System.Collections.Specialized.OrderedDictionary(StringComparer.Ordinal);
            using var document = JsonDocument.Parse(json);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                result[property.Name] = ReadScalar(property.Value);
            }
            return result.AsReadOnly();
        }

        private static object? ReadScalar(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : (object)element.GetDecimal(),
            _ => element.GetRawText(),
        };
    }
}
