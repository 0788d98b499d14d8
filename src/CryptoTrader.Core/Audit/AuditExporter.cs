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
    /// UTF-8 without BOM, streaming, into one file only its owner can read (0600 on Unix). The file appears only when
    /// complete, and never in the data folder, where it could replace the key file or the database.
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

        /// <summary>
        /// Starts an export to <paramref name="path"/>: ExportFileExists when it exists and <paramref name="force"/> is not
        /// set; ExportFailed when it is inside <paramref name="dataFolder"/> (by any path, links included).
        /// </summary>
        public static AuditExporter Start(string path, AuditExportFormat format, bool force, string? dataFolder = null)
        {
            var exporter = new AuditExporter(System.IO.Path.GetFullPath(path), format, force);
            try
            {
                exporter.RefuseDataFolder(dataFolder, exporter.fullPath);
                exporter.RefuseExisting();
                exporter.Guard(() =>
                {
                    FilePermissions.CreatePrivateFile(exporter.temporary);
                    // The target folder is the data folder under another name (a link).
                    exporter.RefuseDataFolder(dataFolder, System.IO.Path.Combine(dataFolder ?? string.Empty, System.IO.Path.GetFileName(exporter.temporary)), File.Exists);
                    exporter.stream = new FileStream(exporter.temporary, FileMode.Truncate, FileAccess.Write, FileShare.None);
                    exporter.writer = new Utf8JsonWriter(exporter.stream, AuditJson.WriterOptions);
                    if (format == AuditExportFormat.Json)
                    {
                        exporter.writer.WriteStartArray();
                    }
                });
                return exporter;
            }
            catch
            {
                exporter.Dispose();
                throw;
            }
        }

        /// <summary>Exports <paramref name="records"/> in their order and returns how many were written.</summary>
        /// <param name="dataFolder">The data folder: an export into it (by any path, links included) is refused.</param>
        public static long Export(IEnumerable<AuditRecord> records, string path, AuditExportFormat format, bool force, string? dataFolder = null)
        {
            using var exporter = Start(path, format, force, dataFolder);
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

        // Refuses a target inside the data folder: by its path, or (with found) by a file seen there through a link.
        private void RefuseDataFolder(string? dataFolder, string candidate, Func<string, bool>? found = null)
        {
            if (dataFolder is null)
            {
                return;
            }
            var folder = System.IO.Path.GetFullPath(dataFolder).TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
            var comparison = FilePermissions.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (found is null ? candidate.StartsWith(folder, comparison) : found(candidate))
            {
                throw new CtException(ErrorIds.ExportFailed, CtErrorKind.WriteError,
                    $"'{fullPath}' is inside the CryptoTrader data folder '{dataFolder}', where an export could replace the key file or the database. " +
                    "Export to a folder of your own.", fullPath);
            }
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
