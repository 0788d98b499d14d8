using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    /// <summary>Invariant 2 for the audit log: details hold only scalars, and key material never reaches the log.</summary>
    public class AuditSecretFreeTests
    {
        private static readonly Type[] Scalars = { typeof(string), typeof(long), typeof(decimal), typeof(bool), typeof(DateTimeOffset?) };

        [Fact]
        public void AuditDetails_PublicAddOverloadsTakeOnlyScalars()
        {
            var adds = typeof(AuditDetails).GetMethods().Where(m => m.Name == "Add").ToList();

            Assert.NotEmpty(adds);
            Assert.All(adds, m =>
            {
                var parameters = m.GetParameters();
                Assert.Equal(2, parameters.Length);
                Assert.Equal(typeof(string), parameters[0].ParameterType);
                Assert.Contains(parameters[1].ParameterType, Scalars);
            });
        }

        public static IEnumerable<object[]> Unsupported() => new[]
        {
            new object[] { new object() },
            new object[] { 42 },
            new object[] { 1.5d },
            new object[] { new byte[] { 1, 2, 3 } },
            new object[] { new[] { "a", "b" } },
            new object[] { new Dictionary<string, object> { ["nested"] = "x" } },
            new object[] { KeyRing.CreateNew() },
        };

        [Theory]
        [MemberData(nameof(Unsupported))]
        public void DetailsWriter_RejectsNonScalarValues(object value)
        {
            using var buffer = new MemoryStream();
            using var writer = new Utf8JsonWriter(buffer);

            Assert.Throws<ArgumentException>(() => AuditJson.WriteScalar(writer, value));
        }

        [Fact]
        public void AuditDetails_WritesEveryScalarKindInOrder()
        {
            var details = new AuditDetails()
                .Add("text", "Zürich \"quoted\"")
                .Add("whole", 42L)
                .Add("number", 1.50m)
                .Add("flag", true)
                .Add("when", new DateTimeOffset(2025, 12, 13, 20, 0, 0, 500, TimeSpan.FromHours(1)))
                .Add("nothing", (string?)null);

            Assert.Equal(
                "{\"text\":\"Zürich \\\"quoted\\\"\",\"whole\":42,\"number\":1.50,\"flag\":true,\"when\":\"2025-12-13T19:00:00Z\",\"nothing\":null}",
                details.ToJson());
        }

        [Fact]
        public void AuditDetails_RejectsAnEmptyName()
        {
            Assert.Throws<ArgumentException>(() => new AuditDetails().Add("", "x"));
        }

        [Fact]
        public void KeyRingCreatedRecord_NamesTheKeyButContainsNoKeyMaterial()
        {
            var ring = KeyRing.CreateNew().WithNewPrimary(out _).WithNewPrimary(out _);
            Assert.Equal(3, ring.Keys.Count);
            using var folder = new AuditTestFolder(ring);
            var store = new FakeKeyStore(ring);

            var record = KeyRingAudit.Created(folder.Log, ring, store);
            folder.Log.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "x"));
            var export = Path.Combine(folder.Path, "export.json");
            AuditExporter.Export(folder.Reader.Read(new AuditQuery()), export, AuditExportFormat.Json, force: false);

            Assert.Equal(AuditEventType.EncryptionKeyCreated, record.EventType);
            Assert.Equal(ring.Primary.Id, record.Details["key_id"]);
            Assert.Equal("File", record.Details["key_store"]);
            Assert.Equal(store.Location, record.Details["location"]);

            // Every byte the module left in the data folder (database, WAL, head file) and the export.
            var files = Directory.GetFiles(folder.Path);
            Assert.Contains(files, f => f.EndsWith(".db", StringComparison.Ordinal));
            var everything = files.Select(File.ReadAllBytes).ToList();
            var exportText = File.ReadAllText(export);

            // Control: the key id is found by the same search, so the search itself works.
            Assert.Contains(everything, bytes => Contains(bytes, Encoding.ASCII.GetBytes(ring.Primary.Id)));
            Assert.Contains(ring.Primary.Id, exportText);
            foreach (var entry in ring.Keys)
            {
                var base64Url = entry.Key.ToBase64Url();
                var raw = entry.Key.CopyBytes();
                foreach (var bytes in everything)
                {
                    Assert.False(Contains(bytes, Encoding.ASCII.GetBytes(base64Url)), "key " + entry.Id + " (base64url) found in the data folder");
                    Assert.False(Contains(bytes, Encoding.ASCII.GetBytes(Convert.ToBase64String(raw))), "key " + entry.Id + " (base64) found in the data folder");
                    Assert.False(Contains(bytes, raw), "key " + entry.Id + " (raw bytes) found in the data folder");
                }
                Assert.DoesNotContain(base64Url, exportText);
                Assert.DoesNotContain(base64Url, record.ToString());
            }
        }

        private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
    }
}
