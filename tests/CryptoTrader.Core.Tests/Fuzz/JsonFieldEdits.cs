using System.Collections.Generic;
using System.Text.Json.Nodes;
using CsCheck;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>
    /// Structural mutations of a JSON document: one to three properties (at a path of object keys and array indexes)
    /// removed or given a value of another type or range, or the whole document replaced. Values are spliced in as
    /// text, so even JSON that System.Text.Json would refuse to write (an escaped lone surrogate) reaches the parser.
    /// </summary>
    internal static class JsonFieldEdits
    {
        private static readonly string[] Values =
        {
            "null", "true", "0", "-1", "1", "1e400", "-0", "2147483648", "600000.5", "\"\"", "\"x\"", "[]", "{}", "[1,2]",
            "\"AAAA\"", "\"AAAAAAAAAAAAAAAAAAAAAA==\"", "\"!!!!\"", "\"" + new string('A', 5000) + "\"", "\"\\u0000\"", "\"\\ud800\"",
            "\"k0123456789abcdef\"", "\"2025-13-45T99:99:99Z\"", "[{}]", "[null]",
        };

        /// <param name="paths">Where edits may go: property names separated by '/', array indexes as numbers; "" is the root.</param>
        public static Gen<string> Of(string original, params string[] paths)
        {
            var edit = Gen.Select(Gen.Int[0, paths.Length - 1], Gen.Int[-1, Values.Length - 1],
                (path, value) => (Path: paths[path], Value: value < 0 ? null : Values[value]));
            return edit.Array[1, 3].Select(edits =>
            {
                JsonNode? root = JsonNode.Parse(original);
                var splices = new List<string>();
                foreach (var (path, value) in edits)
                {
                    JsonNode? replacement = null;
                    if (value != null)
                    {
                        replacement = JsonValue.Create("@@" + splices.Count + "@@");
                        splices.Add(value);
                    }
                    root = path.Length == 0 ? replacement : Set(root, path.Split('/'), replacement);
                }
                var text = root?.ToJsonString() ?? "null";
                for (var i = 0; i < splices.Count; i++)
                {
                    text = text.Replace("\"@@" + i + "@@\"", splices[i]);
                }
                return text;
            });
        }

        private static JsonNode? Set(JsonNode? root, string[] path, JsonNode? replacement)
        {
            var parent = root;
            for (var i = 0; i < path.Length - 1 && parent != null; i++)
            {
                parent = parent is JsonArray array ? (int.Parse(path[i]) < array.Count ? array[int.Parse(path[i])] : null)
                    : parent is JsonObject obj && obj.TryGetPropertyValue(path[i], out var child) ? child : null;
            }
            var last = path[^1];
            if (parent is JsonObject target)
            {
                target.Remove(last);
                if (replacement != null)
                {
                    target[last] = replacement;
                }
            }
            else if (parent is JsonArray list && int.Parse(last) < list.Count)
            {
                if (replacement is null)
                {
                    list.RemoveAt(int.Parse(last));
                }
                else
                {
                    list[int.Parse(last)] = replacement;
                }
            }
            return root;
        }
    }
}
