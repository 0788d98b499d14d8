using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Errors;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    public sealed class AuditExportTests : IDisposable
    {
        private static readonly string[] Fields = { "timestamp", "event_type", "user_id", "details" };
        private readonly AuditTestFolder folder = new AuditTestFolder();
        private readonly string outDir;

        public AuditExportTests()
        {
            outDir = Path.Combine(folder.Path, "out");
            Directory.CreateDirectory(outDir);
        }

        public void Dispose() => folder.Dispose();

        [Theory]
        [InlineData(AuditExportFormat.Json)]
        [InlineData(AuditExportFormat.JsonLines)]
        public void RecordsWrittenOneByOne_AppearInOneFileOnlyWhenComplete(AuditExportFormat format)
        {
            var records = AddVariedRecords();
            var path = Path.Combine(outDir, "picked." + format);
            var picked = new[] { records[2], records[0] };

            using (var exporter = AuditExporter.Start(path, format, force: false))
            {
                foreach (var record in picked)
                {
                    exporter.Write(record);
                }
                Assert.False(File.Exists(path));
                exporter.Complete();
                Assert.Equal(2, exporter.Count);
            }

            var text = File.ReadAllText(path);
            var elements = format == AuditExportFormat.Json
                ? JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.Clone()).ToList()
                : text.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
            Assert.Equal(2, elements.Count);
            AssertSameRecord(picked[0], elements[0]);
            AssertSameRecord(picked[1], elements[1]);
            AssertOnlyFiles("picked." + format);
        }

        [Fact]
        public void AnExportNotCompleted_LeavesNoFile()
        {
            var records = AddVariedRecords();
            var path = Path.Combine(outDir, "abandoned.json");

            using (var exporter = AuditExporter.Start(path, AuditExportFormat.Json, force: false))
            {
                exporter.Write(records[0]);
            }

            Assert.Empty(Directory.GetFiles(outDir));
        }

        [Fact]
        public void SeedExample_ExportsByteExact()
        {
            folder.Log.Write(t => t.Append(AuditEventType.ApiKeyChanged,
                new AuditDetails().Add("exchange", "coinbase").Add("action", "updated"),
                new DateTimeOffset(2025, 12, 13, 19, 0, 0, TimeSpan.Zero)));
            const string expected = "{\"timestamp\":\"2025-12-13T19:00:00Z\",\"event_type\":\"API_KEY_CHANGED\",\"user_id\":\"system\",\"details\":{\"exchange\":\"coinbase\",\"action\":\"updated\"}}";

            var lines = Export(AuditExportFormat.JsonLines, "seed.jsonl");
            var array = Export(AuditExportFormat.Json, "seed.json");

            Assert.Equal(Encoding.UTF8.GetBytes(expected + "\n"), File.ReadAllBytes(lines));
            Assert.Equal(Encoding.UTF8.GetBytes("[" + expected + "]"), File.ReadAllBytes(array));
        }

        [Fact]
        public void JsonArray_ParsesToExactlyTheRecordFields()
        {
            var records = AddVariedRecords();

            var path = Export(AuditExportFormat.Json, "log.json", expectedCount: records.Count);

            var bytes = File.ReadAllBytes(path);
            Assert.Equal((byte)'[', bytes[0]);
            using var document = JsonDocument.Parse(bytes);
            var elements = document.RootElement.EnumerateArray().ToList();
            Assert.Equal(records.Count, elements.Count);
            for (var i = 0; i < records.Count; i++)
            {
                AssertSameRecord(records[i], elements[i]);
            }
            AssertOnlyFiles("log.json");
        }

        [Fact]
        public void JsonLines_ParsesOneRecordPerLine()
        {
            var records = AddVariedRecords();

            var path = Export(AuditExportFormat.JsonLines, "log.jsonl", expectedCount: records.Count);

            var bytes = File.ReadAllBytes(path);
            Assert.Equal((byte)'{', bytes[0]);
            var text = Encoding.UTF8.GetString(bytes);
            Assert.EndsWith("\n", text);
            Assert.DoesNotContain("\r", text);
            var lines = text.Substring(0, text.Length - 1).Split('\n');
            Assert.Equal(records.Count, lines.Length);
            for (var i = 0; i < records.Count; i++)
            {
                using var document = JsonDocument.Parse(lines[i]);
                AssertSameRecord(records[i], document.RootElement);
            }
            AssertOnlyFiles("log.jsonl");
        }

        [Fact]
        public void EmptyLog_ExportsAnEmptyArrayOrAnEmptyFile()
        {
            Assert.Equal("[]", File.ReadAllText(Export(AuditExportFormat.Json, "empty.json", expectedCount: 0)));
            Assert.Equal(0, new FileInfo(Export(AuditExportFormat.JsonLines, "empty.jsonl", expectedCount: 0)).Length);
        }

        [Fact]
        public void ExportOfAFilteredRead_ContainsOnlyTheMatches()
        {
            AddVariedRecords();

            var path = Path.Combine(outDir, "trades.jsonl");
            var count = AuditExporter.Export(folder.Reader.Read(new AuditQuery { Exchange = "coinbase" }), path, AuditExportFormat.JsonLines, force: false);

            Assert.Equal(2, count);
            Assert.All(File.ReadAllLines(path), line =>
            {
                using var document = JsonDocument.Parse(line);
                Assert.Equal("coinbase", document.RootElement.GetProperty("details").GetProperty("exchange").GetString());
            });
        }

        [Theory]
        [InlineData(AuditExportFormat.Json)]
        [InlineData(AuditExportFormat.JsonLines)]
        public void ExistingFile_IsNotOverwrittenWithoutForce(AuditExportFormat format)
        {
            AddVariedRecords();
            var path = Path.Combine(outDir, "existing.json");
            File.WriteAllText(path, "keep me");

            var error = Assert.Throws<CtException>(() => AuditExporter.Export(folder.Reader.Read(new AuditQuery()), path, format, force: false));

            Assert.Equal(ErrorIds.ExportFileExists, error.ErrorId);
            Assert.Equal("keep me", File.ReadAllText(path));
            AssertOnlyFiles("existing.json");
        }

        [Fact]
        public void ExistingFile_IsOverwrittenWithForce()
        {
            var records = AddVariedRecords();
            var path = Path.Combine(outDir, "existing.json");
            File.WriteAllText(path, "replace me, I am much longer than you would think, really, a lot longer than needed");

            var count = AuditExporter.Export(folder.Reader.Read(new AuditQuery()), path, AuditExportFormat.Json, force: true);

            Assert.Equal(records.Count, count);
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            Assert.Equal(records.Count, document.RootElement.GetArrayLength());
            AssertOnlyFiles("existing.json");
        }

        [Theory]
        [InlineData(AuditExportFormat.Json)]
        [InlineData(AuditExportFormat.JsonLines)]
        public void FailingExport_LeavesNoFileBehind(AuditExportFormat format)
        {
            AddVariedRecords();
            // A record that cannot be read (damaged details) makes the export fail half-way.
            folder.Tamper("UPDATE audit_log SET details = 'not json' WHERE sequence = 3;");
            var path = Path.Combine(outDir, "broken.json");

            Assert.ThrowsAny<Exception>(() => AuditExporter.Export(folder.Reader.Read(new AuditQuery()), path, format, force: false));

            Assert.False(File.Exists(path));
            AssertOnlyFiles();
        }

        private List<CryptoTrader.AuditRecord> AddVariedRecords()
        {
            var other = new AuditLog(folder.Database, folder.Home, folder.Ring, "runbook@host");
            folder.Log.Append(AuditEventType.ApiKeyChanged, new AuditDetails().Add("exchange", "coinbase").Add("action", "updated").Add("fingerprint", "fp:1a2b"));
            other.Append(AuditEventType.TradeExecuted, new AuditDetails().Add("exchange", "coinbase").Add("amount", 0.015m).Add("count", 3L).Add("ok", true));
            folder.Log.Append(AuditEventType.ConfigChanged, new AuditDetails().Add("setting", "Note").Add("old_value", (string?)null).Add("new_value", "Zürich \"€\" \\ </script>"));
            other.Append(AuditEventType.Error, new AuditDetails());
            return folder.ReadAll();
        }

        private string Export(AuditExportFormat format, string name, long? expectedCount = null)
        {
            var path = Path.Combine(outDir, name);
            var count = AuditExporter.Export(folder.Reader.Read(new AuditQuery()), path, format, force: false);
            if (expectedCount.HasValue)
            {
                Assert.Equal(expectedCount.Value, count);
            }
            var bytes = File.ReadAllBytes(path);
            Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "the export starts with a BOM");
            return path;
        }

        private static void AssertSameRecord(CryptoTrader.AuditRecord record, JsonElement element)
        {
            Assert.Equal(JsonValueKind.Object, element.ValueKind);
            Assert.Equal(Fields, element.EnumerateObject().Select(p => p.Name));
            var timestamp = element.GetProperty("timestamp").GetString()!;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", timestamp);
            Assert.Equal(record.TimestampText, timestamp);
            Assert.Equal(record.Timestamp, DateTime.Parse(timestamp, null, System.Globalization.DateTimeStyles.AdjustToUniversal));
            Assert.Equal(record.EventType, element.GetProperty("event_type").GetString());
            Assert.Equal(record.UserId, element.GetProperty("user_id").GetString());
            var details = element.GetProperty("details");
            Assert.Equal(JsonValueKind.Object, details.ValueKind);
            Assert.Equal(record.Details.Keys.Cast<string>(), details.EnumerateObject().Select(p => p.Name));
            foreach (var property in details.EnumerateObject())
            {
                object? value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.TryGetInt64(out var whole) ? (object)whole : property.Value.GetDecimal(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Null => null,
                    _ => throw new Xunit.Sdk.XunitException("unexpected JSON kind in details: " + property.Value.ValueKind),
                };
                Assert.Equal(record.Details[property.Name], value);
            }
        }

        private void AssertOnlyFiles(params string[] names)
        {
            Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal),
                Directory.GetFiles(outDir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        }
    }
}
