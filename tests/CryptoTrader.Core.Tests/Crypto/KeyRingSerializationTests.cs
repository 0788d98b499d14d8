using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    public class KeyRingSerializationTests
    {
        [Fact]
        public void Serialize_WritesTheDocumentedShape()
        {
            KeyRing ring = KeyRing.CreateNew();

            using JsonDocument document = JsonDocument.Parse(ring.Serialize());
            JsonElement root = document.RootElement;
            JsonElement key = Assert.Single(root.GetProperty("keys").EnumerateArray());

            Assert.Equal(new[] { "version", "primary", "keys" }, root.EnumerateObject().Select(p => p.Name));
            Assert.Equal(new[] { "id", "created", "key", "retired" }, key.EnumerateObject().Select(p => p.Name));
            Assert.Equal(1, root.GetProperty("version").GetInt32());
            Assert.Equal(ring.Primary.Id, root.GetProperty("primary").GetString());
            Assert.Equal(ring.Primary.Id, key.GetProperty("id").GetString());
            Assert.Equal(ring.Primary.Key.ToBase64Url(), key.GetProperty("key").GetString());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", key.GetProperty("created").GetString()!);
            Assert.False(key.GetProperty("retired").GetBoolean());
        }

        [Fact]
        public void SerializeThenDeserialize_RoundTripsEverything()
        {
            KeyRing original = KeyRing.CreateNew();
            EncryptedValue old = original.Encrypt(new byte[] { 1, 2, 3 });
            KeyRing ring = original.WithNewPrimary(out _).WithNewPrimary(out _).WithRetired(original.Primary.Id);

            KeyRing copy = KeyRing.Deserialize(ring.Serialize());

            Assert.Equal(ring.Primary.Id, copy.Primary.Id);
            Assert.Equal(ring.Keys.Select(Describe), copy.Keys.Select(Describe));
            Assert.Equal(ring.Serialize(), copy.Serialize());
            Assert.Equal(new byte[] { 1, 2, 3 }, copy.Decrypt(old.Token, old.KeyId));
        }

        [Fact]
        public void Deserialize_AcceptsKnownGoodText()
        {
            const string key = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
            string id = KeyRingEntry.ComputeId(FernetKey.Parse(key));
            string json = "{\"version\":1,\"primary\":\"" + id + "\",\"keys\":[{\"id\":\"" + id + "\",\"created\":\"2025-01-01T00:00:00Z\",\"key\":\"" + key + "\",\"retired\":false}]}";

            KeyRing ring = KeyRing.Deserialize(json);

            Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), ring.Primary.Created);
            Assert.Equal(json, ring.Serialize());
        }

        public static IEnumerable<object[]> Corruptions() => CorruptionCases.Keys.Select(name => new object[] { name });

        private static readonly Dictionary<string, Func<JsonObject, KeyRing, string>> CorruptionCases = new()
        {
            ["not JSON"] = (root, ring) => "{\"version\":1,\"keys\":[" + ring.Keys[0].Key.ToBase64Url(),
            ["JSON array"] = (root, ring) => "[]",
            ["empty object"] = (root, ring) => "{}",
            ["version 2"] = (root, ring) => Set(root, r => r["version"] = 2),
            ["version as string"] = (root, ring) => Set(root, r => r["version"] = "1"),
            ["no version"] = (root, ring) => Set(root, r => r.Remove("version")),
            ["no primary"] = (root, ring) => Set(root, r => r.Remove("primary")),
            ["primary not in ring"] = (root, ring) => Set(root, r => r["primary"] = "k0123456789abcdef"),
            ["primary is a key not an id"] = (root, ring) => Set(root, r => r["primary"] = ring.Keys[0].Key.ToBase64Url()),
            ["retired primary"] = (root, ring) => Set(root, r => Keys(r)[1]!["retired"] = true),
            ["empty keys"] = (root, ring) => Set(root, r => r["keys"] = new JsonArray()),
            ["no keys"] = (root, ring) => Set(root, r => r.Remove("keys")),
            ["id does not match key"] = (root, ring) => Set(root, r => Keys(r)[0]!["id"] = ring.Keys[1].Id),
            ["duplicate entry"] = (root, ring) => Set(root, r => Keys(r).Add(Keys(r)[0]!.DeepClone())),
            ["key too short"] = (root, ring) => Set(root, r => Keys(r)[0]!["key"] = ring.Keys[0].Key.ToBase64Url().Substring(4)),
            ["key not base64"] = (root, ring) => Set(root, r => Keys(r)[0]!["key"] = ring.Keys[0].Key.ToBase64Url().Replace('A', '*').Replace('b', '*') + "*"),
            ["key missing"] = (root, ring) => Set(root, r => Keys(r)[0]!.AsObject().Remove("key")),
            ["created missing"] = (root, ring) => Set(root, r => Keys(r)[0]!.AsObject().Remove("created")),
            ["created not a date"] = (root, ring) => Set(root, r => Keys(r)[0]!["created"] = "yesterday"),
            ["retired missing"] = (root, ring) => Set(root, r => Keys(r)[0]!.AsObject().Remove("retired")),
            ["retired not boolean"] = (root, ring) => Set(root, r => Keys(r)[0]!["retired"] = "no"),
            ["entry not an object"] = (root, ring) => Set(root, r => Keys(r)[0] = "k0123456789abcdef"),
        };

        [Theory]
        [MemberData(nameof(Corruptions))]
        public void Deserialize_RejectsInvalidRings_WithoutRevealingKeys(string corruption)
        {
            KeyRing ring = KeyRing.CreateNew().WithNewPrimary(out _);
            JsonObject root = JsonNode.Parse(ring.Serialize())!.AsObject();
            string json = CorruptionCases[corruption](root, ring);

            InvalidKeyRingException error = Assert.Throws<InvalidKeyRingException>(() => KeyRing.Deserialize(json));

            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            foreach (KeyRingEntry entry in ring.Keys)
            {
                string key = entry.Key.ToBase64Url();
                Assert.DoesNotContain(key.Substring(0, 10), error.ToString(), StringComparison.Ordinal);
                Assert.DoesNotContain(key.Substring(20, 10), error.ToString(), StringComparison.Ordinal);
            }
        }

        [Fact]
        public void Deserialize_RejectsTextThatIsNotValidUtf16AsAnInvalidRing()
        {
            // A vault can hand back any string; a lone surrogate made JsonDocument.Parse throw ArgumentException (found by fuzzing).
            string json = KeyRing.CreateNew().Serialize().Replace("\"version\"", "\"\ud800version\"");

            InvalidKeyRingException error = Assert.Throws<InvalidKeyRingException>(() => KeyRing.Deserialize(json));

            Assert.Equal("The key ring is not valid JSON.", error.Message);
        }

        [Theory]
        [InlineData("primary")]
        [InlineData("id")]
        [InlineData("created")]
        [InlineData("key")]
        public void Deserialize_RejectsAnEscapedLoneSurrogateAsAnInvalidRing(string property)
        {
            // Valid JSON whose string value cannot be read as UTF-16: GetString threw InvalidOperationException (found by fuzzing).
            KeyRing ring = KeyRing.CreateNew();
            JsonObject root = JsonNode.Parse(ring.Serialize())!.AsObject();
            JsonObject owner = property == "primary" ? root : Keys(root)[0]!.AsObject();
            owner[property] = "@@";
            string json = root.ToJsonString().Replace("\"@@\"", "\"\\ud800\"");

            Assert.Throws<InvalidKeyRingException>(() => KeyRing.Deserialize(json));
        }

        [Fact]
        public void Deserialize_NamesTheMismatchedId()
        {
            KeyRing ring = KeyRing.CreateNew().WithNewPrimary(out _);
            JsonObject root = JsonNode.Parse(ring.Serialize())!.AsObject();
            Keys(root)[0]!["id"] = "kffffffffffffffff";

            InvalidKeyRingException error = Assert.Throws<InvalidKeyRingException>(() => KeyRing.Deserialize(root.ToJsonString()));

            Assert.Contains("kffffffffffffffff", error.Message, StringComparison.Ordinal);
        }

        private static string Describe(KeyRingEntry entry)
        {
            return entry.Id + "|" + entry.Created.ToString("O") + "|" + entry.Retired + "|" + entry.Key.ToBase64Url();
        }

        private static JsonArray Keys(JsonObject root) => root["keys"]!.AsArray();

        private static string Set(JsonObject root, Action<JsonObject> change)
        {
            change(root);
            return root.ToJsonString();
        }
    }
}
