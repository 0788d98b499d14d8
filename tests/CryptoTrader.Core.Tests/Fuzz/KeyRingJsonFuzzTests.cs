using System.Linq;
using CryptoTrader.Core.Crypto;
using CsCheck;
using Xunit;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>
    /// KeyRing.Deserialize, which reads the key ring from a vault, the OS keyring or a decrypted key file: a damaged
    /// document fails only as InvalidKeyRingException, and one that still parses holds exactly the original keys.
    /// </summary>
    [Trait("Category", FuzzRun.Category)]
    public sealed class KeyRingJsonFuzzTests
    {
        private static readonly KeyRing Original = KeyRing.CreateNew().WithNewPrimary(out _).WithNewPrimary(out _);
        private static readonly KeyRing Retired = Original.WithRetired(Original.Keys[0].Id);

        [Fact]
        public void SerializedRingsRoundTrip() =>
            FuzzRun.Check(Gen.Int[1, 4], count =>
            {
                var ring = KeyRing.CreateNew();
                for (var i = 1; i < count; i++)
                {
                    ring = ring.WithNewPrimary(out _);
                }
                AssertSameKeys(ring, KeyRing.Deserialize(ring.Serialize()));
            }, ciDefault: 200);

        [Fact]
        public void AMutatedRingFailsOnlyAsAnInvalidKeyRing() =>
            FuzzRun.Check(Gen.OneOf(Original, Retired).SelectMany(ring => Mutations.OfText(ring.Serialize()).Select(text => (ring, text))),
                c => AssertParsesToOriginalOrFails(c.ring, c.text), ciDefault: 20_000);

        [Fact]
        public void ARingWithAFieldOfTheWrongShapeFailsOnlyAsAnInvalidKeyRing() =>
            FuzzRun.Check(JsonFieldEdits.Of(Retired.Serialize(), "", "version", "primary", "keys", "keys/0", "keys/0/id", "keys/0/created",
                "keys/0/key", "keys/0/retired", "keys/2/id", "keys/2/key", "keys/2/retired"), text =>
                {
                    // Removing an entry is a valid edit of the document, so a ring that parses holds a subset of the original keys.
                    KeyRing? parsed = null;
                    if (Allowed.Failure(() => parsed = KeyRing.Deserialize(text), typeof(InvalidKeyRingException)) is null)
                    {
                        Assert.Subset(Retired.Keys.Select(k => k.Key.ToBase64Url()).ToHashSet(), parsed!.Keys.Select(k => k.Key.ToBase64Url()).ToHashSet());
                        Assert.False(parsed.Primary.Retired);
                    }
                }, ciDefault: 10_000);

        private static void AssertParsesToOriginalOrFails(KeyRing original, string text)
        {
            KeyRing? parsed = null;
            if (Allowed.Failure(() => parsed = KeyRing.Deserialize(text), typeof(InvalidKeyRingException)) is null)
            {
                // Whitespace, or a "created" time written another way, may change; no key may.
                Assert.Equal(original.Primary.Id, parsed!.Primary.Id);
                Assert.Equal(original.Keys.Select(k => k.Key.ToBase64Url()), parsed.Keys.Select(k => k.Key.ToBase64Url()));
            }
        }

        private static void AssertSameKeys(KeyRing expected, KeyRing actual)
        {
            Assert.Equal(expected.Primary.Id, actual.Primary.Id);
            Assert.Equal(expected.Keys.Select(k => (k.Id, k.Created, k.Retired, k.Key.ToBase64Url())), actual.Keys.Select(k => (k.Id, k.Created, k.Retired, k.Key.ToBase64Url())));
        }
    }
}
