using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// Writes audit records in the persisted JSON shape ({timestamp, event_type, user_id, details}),
    /// UTF-8 without BOM, streaming, into one file that appears only when complete.
    /// </summary>
    public sealed class AuditExporter : IDisposable
    {
        private readonly string fullPath;
        private readonly string temporary;
        private readonly AuditExportFormat format;
        private readonly bool force;
        private FileStream? stream;
        private Utf8JsonWriter? writer;
        private bool completed;

        private AuditExporter(string fullPath, AuditExportFormat format, bool force)
        {
            this.fullPath = fullPath;
            this.format = format;
            this.force = force;
            temporary = fullPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        }

        /// <summary>The file the records go to.</summary>
        public string Path => fullPath;

        /// <summary>Records written so far.</summary>
        public long Count { get; private set; }

        /// <summary>Starts an export to <paramref name="path"/>: ExportFileExists when it exists and <paramref name="force"/> is not set.</summary>
        public static AuditExporter Start(string path, AuditExportFormat format, bool force)
        {
            var exporter = new AuditExporter(System.IO.Path.GetFullPath(path), format, force);
            exporter.RefuseExisting();
            exporter.Guard(() =>
            {
                exporter.stream = new FileStream(exporter.temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                exporter.writer = new Utf8JsonWriter(exporter.stream, AuditJson.WriterOptions);
                if (format == AuditExportFormat.Json)
                {
                    exporter.writer.WriteStartArray();
                }
            });
            return exporter;
        }

        /// <summary>Exports <paramref name="records"/> in their order and returns how many were written.</summary>
        public static long Export(IEnumerable<AuditRecord> records, string path, AuditExportFormat format, bool force)
        {
            using var exporter = Start(path, format, force);
            foreach (var record in records)
            {
                exporter.Write(record);
            }
            exporter.Complete();
            return exporter.Count;
        }

        public void Write(AuditRecord record)
        {
            if (completed || writer is null)
            {
                throw new InvalidOperationException("The export is complete or was abandoned.");
            }
            Guard(() =>
            {
                WriteRecord(writer, record);
                if (format == AuditExportFormat.JsonLines)
                {
                    writer.Flush();
                    writer.Reset();
                    stream!.WriteByte((byte)'\n');
                }
                else if (writer.BytesPending > 64 * 1024)
                {
                    writer.Flush();
                }
            });
            Count++;
        }

        /// <summary>Finishes the file, makes it durable and puts it in place.</summary>
        public void Complete()
        {
            Guard(() =>
            {
                if (format == AuditExportFormat.Json)
                {
                    writer!.WriteEndArray();
                }
                writer!.Flush();
                stream!.Flush(flushToDisk: true);
                Close();
                if (!force && File.Exists(fullPath))
                {
                    throw new IOException($"'{fullPath}' appeared while exporting; pass -Force to overwrite it.");
                }
                AtomicFile.Replace(temporary, fullPath);
            });
            completed = true;
        }

        /// <summary>An export that was not completed leaves no file behind.</summary>
        public void Dispose()
        {
            Close();
            if (!completed)
            {
                DeleteQuietly(temporary);
            }
        }

        public static void WriteRecord(Utf8JsonWriter writer, AuditRecord record)
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", record.TimestampText);
            writer.WriteString("event_type", record.EventType);
            writer.WriteString("user_id", record.UserId);
            writer.WritePropertyName("details");
            writer.WriteRawValue(record.DetailsJson, skipInputValidation: true);
            writer.WriteEndObject();
        }

        private void RefuseExisting()
        {
            if (File.Exists(fullPath) && !force)
            {
                throw new CtException(ErrorIds.ExportFileExists, CtErrorKind.WriteError,
                    $"'{fullPath}' already exists. Choose another path, or pass -Force to overwrite it.", fullPath);
            }
        }

        private void Guard(Action step)
        {
            try
            {
                step();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Dispose();
                throw new CtException(ErrorIds.ExportFailed, CtErrorKind.WriteError,
                    $"The audit log could not be exported to '{fullPath}': {e.Message}", fullPath, e);
            }
        }

        private void Close()
        {
            writer?.Dispose();
            writer = null;
            stream?.Dispose();
            stream = null;
        }

        private static void DeleteQuietly(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
        }
    }
}
