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
    /// UTF-8 without BOM, streaming, into a file only its owner can read (0600 on Unix). The file appears only when
    /// complete, and never in the data folder, where it could replace the key file or the database.
    /// </summary>
    public static class AuditExporter
    {
        /// <param name="dataFolder">The data folder: an export into it (by any path, links included) is refused.</param>
        public static long Export(IEnumerable<AuditRecord> records, string path, AuditExportFormat format, bool force, string? dataFolder = null)
        {
            var fullPath = Path.GetFullPath(path);
            if (dataFolder != null && IsInside(fullPath, dataFolder))
            {
                throw InsideDataFolder(fullPath, dataFolder);
            }
            if (File.Exists(fullPath) && !force)
            {
                throw new CtException(ErrorIds.ExportFileExists, CtErrorKind.WriteError,
                    $"'{fullPath}' already exists. Choose another path, or pass -Force to overwrite it.", fullPath);
            }
            var temporary = fullPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
            long count = 0;
            try
            {
                FilePermissions.CreatePrivateFile(temporary);
                if (dataFolder != null && File.Exists(Path.Combine(dataFolder, Path.GetFileName(temporary))))
                {
                    // The target folder is the data folder under another name (a link).
                    DeleteQuietly(temporary);
                    throw InsideDataFolder(fullPath, dataFolder);
                }
                using (var stream = new FileStream(temporary, FileMode.Truncate, FileAccess.Write, FileShare.None))
                {
                    count = format == AuditExportFormat.Json ? WriteArray(records, stream) : WriteLines(records, stream);
                    stream.Flush(flushToDisk: true);
                }
                if (!force && File.Exists(fullPath))
                {
                    throw new IOException($"'{fullPath}' appeared while exporting; pass -Force to overwrite it.");
                }
                AtomicFile.Replace(temporary, fullPath);
                return count;
            }
            catch (CtException)
            {
                throw;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                DeleteQuietly(temporary);
                throw new CtException(ErrorIds.ExportFailed, CtErrorKind.WriteError,
                    $"The audit log could not be exported to '{fullPath}': {e.Message}", fullPath, e);
            }
            catch
            {
                // Any other failure (e.g. a record that cannot be read) must not leave the partial file behind either.
                DeleteQuietly(temporary);
                throw;
            }
        }

        private static bool IsInside(string fullPath, string dataFolder)
        {
            var folder = Path.GetFullPath(dataFolder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var comparison = FilePermissions.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            return fullPath.StartsWith(folder, comparison);
        }

        private static CtException InsideDataFolder(string fullPath, string dataFolder) => new CtException(ErrorIds.ExportFailed, CtErrorKind.WriteError,
            $"'{fullPath}' is inside the CryptoTrader data folder '{dataFolder}', where an export could replace the key file or the database. " +
            "Export to a folder of your own.", fullPath);

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

        private static long WriteArray(IEnumerable<AuditRecord> records, Stream stream)
        {
            long count = 0;
            using var writer = new Utf8JsonWriter(stream, AuditJson.WriterOptions);
            writer.WriteStartArray();
            foreach (var record in records)
            {
                WriteRecord(writer, record);
                count++;
                if (writer.BytesPending > 64 * 1024)
                {
                    writer.Flush();
                }
            }
            writer.WriteEndArray();
            writer.Flush();
            return count;
        }

        private static long WriteLines(IEnumerable<AuditRecord> records, Stream stream)
        {
            long count = 0;
            var newline = new[] { (byte)'\n' };
            foreach (var record in records)
            {
                using (var writer = new Utf8JsonWriter(stream, AuditJson.WriterOptions))
                {
                    WriteRecord(writer, record);
                }
                stream.Write(newline, 0, 1);
                count++;
            }
            return count;
        }
    }
}
