using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace CryptoTrader.Core.Tests.Crypto
{
    /// <summary>The Fernet spec's test vectors (generate.json, verify.json, invalid.json), keyed by description.</summary>
    public static class FernetVectors
    {
        public static IReadOnlyDictionary<string, JsonElement> Load(string kind)
        {
            string path = Path.Combine(TestPaths.FernetVectorsDirectory, kind + ".json");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException("Fernet vector file missing (tests/fixtures/fernet, or set " + TestPaths.SharedDirectoryVariable + ")", path);
            }

            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            Dictionary<string, JsonElement> vectors = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            int index = 0;
            foreach (JsonElement vector in document.RootElement.EnumerateArray())
            {
                // generate.json and verify.json carry no "desc"; name those by position and plaintext.
                string description = vector.TryGetProperty("desc", out JsonElement desc)
                    ? desc.GetString()!
                    : kind + " #" + index + " (src \"" + vector.GetProperty("src").GetString() + "\")";
                vectors.Add(description, vector.Clone());
                index++;
            }

            if (vectors.Count == 0)
            {
                throw new InvalidDataException("No vectors in " + path);
            }

            return vectors;
        }

        public static IEnumerable<object[]> Descriptions(string kind)
        {
            return Load(kind).Keys.Select(description => new object[] { description });
        }

        public static DateTimeOffset Now(JsonElement vector)
        {
            return DateTimeOffset.Parse(vector.GetProperty("now").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
