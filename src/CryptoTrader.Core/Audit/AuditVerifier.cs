using System;
using System.Buffers;
using System.Globalization;
using System.Threading.Tasks;
using System.Text;
using System.Text.Json;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// Walks the whole chain: sequence numbers without gaps, each record linked to the previous MAC, each MAC
    /// valid under the key ring; then checks the end of the log against a head seen earlier (the caller's
    /// -ExpectedHead and the head file the module keeps), which catches records cut off at the end.
    /// </summary>
    public sealed class AuditVerifier
    {
        private static readonly byte[] ExchangeProperty = Encoding.UTF8.GetBytes("exchange");
        // Rows are read on one thread and checked on every core a batch at a time; measured best of 256 to 4096.
        private const int BatchSize = 1024;
        private readonly CtDatabase database;
        private readonly KeyRing ring;
        private readonly AuditChain chain;
        private readonly AuditHeadFile headFile;

        public AuditVerifier(CtDatabase database, DataHome home, KeyRing ring)
        {
            this.database = database;
            this.ring = ring;
            chain = new AuditChain(ring);
            headFile = new AuditHeadFile(home);
        }

        /// <param name="expectedHead">"Sequence:ChainHash" seen earlier, or null.</param>
        public AuditVerification Verify(string? expectedHead = null)
        {
            var expected = expectedHead is null ? null : ParseHead(expectedHead);
            var result = new AuditVerification();
            long previousSequence = 0;
            var previousMac = string.Empty;
            string? expectedMacSeen = null;
            var stored = headFile.Read();
            string? storedMacSeen = null;

            using (var command = database.Connection.CreateCommand())
            {
                command.CommandText = "SELECT sequence, timestamp, event_type, user_id, details, key_id, prev_mac, mac, exchange FROM audit_log ORDER BY sequence;";
                using var reader = command.ExecuteReader();
                var batch = new StoredRow[BatchSize];
                var verdicts = new RowVerdict[BatchSize];
                while (true)
                {
                    var count = 0;
                    while (count < BatchSize && reader.Read())
                    {
                        batch[count++] = new StoredRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                            reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8));
                    }
                    if (count == 0)
                    {
                        break;
                    }
                    CheckRows(batch, count, verdicts);
                    for (var i = 0; i < count; i++)
                    {
                        var row = batch[i];
                        string? problem = null;
                        if (row.Sequence != previousSequence + 1)
                        {
                            problem = row.Sequence > previousSequence + 1
                                ? $"record {previousSequence + 1} is missing (the next record is {row.Sequence})"
                                : $"record {row.Sequence} is out of order";
                        }
                        else if (row.PreviousMac != previousMac)
                        {
                            problem = $"record {row.Sequence} does not link to the record before it";
                        }
                        else if (verdicts[i] == RowVerdict.UnknownKey)
                        {
                            problem = $"record {row.Sequence} was sealed with key {row.KeyId}, which is not in the key ring";
                        }
                        else if (verdicts[i] == RowVerdict.MacMismatch)
                        {
                            problem = $"record {row.Sequence} was changed after it was written (its MAC does not match)";
                        }
                        else if (verdicts[i] == RowVerdict.ExchangeMismatch)
                        {
                            problem = $"record {row.Sequence} was changed after it was written (its exchange column does not match its details)";
                        }
                        if (problem != null)
                        {
                            return Fail(result, Math.Min(row.Sequence, previousSequence + 1), problem, CountRecords());
                        }
                        if (expected.HasValue && row.Sequence == expected.Value.Sequence)
                        {
                            expectedMacSeen = row.Mac;
                        }
                        if (stored != null && row.Sequence == stored.Sequence)
                        {
                            storedMacSeen = row.Mac;
                        }
                        previousSequence = row.Sequence;
                        previousMac = row.Mac;
                    }
                }
            }

            result.RecordCount = previousSequence;
            result.Head = previousSequence == 0 ? null : previousSequence + ":" + previousMac;
            if (expected.HasValue)
            {
                var problem = CompareHead(expected.Value.Sequence, expected.Value.Mac, expectedMacSeen, previousSequence, "the expected head");
                if (problem != null)
                {
                    return Fail(result, Math.Min(expected.Value.Sequence, previousSequence + 1), problem, previousSequence);
                }
            }
            var storedProblem = CheckStoredHead(stored, storedMacSeen, previousSequence);
            if (storedProblem != null)
            {
                // A missing head file condemns no particular record.
                return Fail(result, stored is null ? (long?)null : Math.Min(stored.Sequence, previousSequence + 1), storedProblem, previousSequence);
            }
            result.IsValid = true;
            result.Reason = previousSequence == 0
                ? "The audit log is empty."
                : $"All {previousSequence} records verify and link up" + (expected.HasValue ? "; the expected head is in the log." : ".");
            return result;
        }

        private enum RowVerdict
        {
            Sound,
            UnknownKey,
            MacMismatch,
            ExchangeMismatch,
        }

        // What a record says about itself depends only on its own stored fields (its prev_mac included), so a batch
        // is checked on every core; the links between records are then walked in order.
        private void CheckRows(StoredRow[] batch, int count, RowVerdict[] verdicts)
        {
            Parallel.For(0, count, () => new AuditChain(ring), (i, _, local) =>
            {
                var row = batch[i];
                verdicts[i] = !local.CanVerify(row.KeyId) ? RowVerdict.UnknownKey
                    : !local.MacEquals(row.Mac, row.Sequence, row.Timestamp, row.EventType, row.UserId, row.Details, row.KeyId, row.PreviousMac) ? RowVerdict.MacMismatch
                    // The exchange column is not MAC'd; it must be exactly what the (MAC'd) details say.
                    : !string.Equals(row.Exchange, ExchangeOf(row.Details), StringComparison.Ordinal) ? RowVerdict.ExchangeMismatch
                    : RowVerdict.Sound;
                return local;
            }, _ => { });
        }

        private readonly struct StoredRow
        {
            public StoredRow(long sequence, string timestamp, string eventType, string userId, string details, string keyId, string previousMac, string mac, string? exchange)
            {
                Sequence = sequence;
                Timestamp = timestamp;
                EventType = eventType;
                UserId = userId;
                Details = details;
                KeyId = keyId;
                PreviousMac = previousMac;
                Mac = mac;
                Exchange = exchange;
            }

            public long Sequence { get; }

            public string Timestamp { get; }

            public string EventType { get; }

            public string UserId { get; }

            public string Details { get; }

            public string KeyId { get; }

            public string PreviousMac { get; }

            public string Mac { get; }

            public string? Exchange { get; }
        }

        private string? CheckStoredHead(AuditHeadFile.Head? stored, string? macSeen, long lastSequence)
        {
            if (stored is null)
            {
                return lastSequence == 0 && !System.IO.File.Exists(headFile.Path)
                    ? null
                    : $"the head file '{headFile.Path}' that guards the end of the log is missing or damaged";
            }
            if (!chain.CanVerify(stored.KeyId) || !string.Equals(chain.HeadMac(stored.Sequence, stored.Mac, stored.KeyId), stored.HeadMac, StringComparison.Ordinal))
            {
                return $"the head file '{headFile.Path}' was altered (its MAC does not match)";
            }
            return CompareHead(stored.Sequence, stored.Mac, macSeen, lastSequence, "the head the module recorded");
        }

        private static string? CompareHead(long sequence, string mac, string? macSeen, long lastSequence, string which)
        {
            if (sequence > lastSequence)
            {
                return $"the log ends at record {lastSequence} but {which} is record {sequence}: records were cut off the end";
            }
            if (!string.Equals(macSeen, mac, StringComparison.Ordinal))
            {
                return $"record {sequence} is not the record of {which}: the log was rewritten";
            }
            return null;
        }

        /// <summary>The value AuditTransaction stores in the exchange column: the first "exchange" detail that is text.</summary>
        /// <remarks>Null for anything but a valid JSON object. A streaming reader: this runs once per record.</remarks>
        private static string? ExchangeOf(string detailsJson)
        {
            var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(detailsJson.Length));
            try
            {
                var count = Encoding.UTF8.GetBytes(detailsJson, 0, detailsJson.Length, bytes, 0);
                var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(bytes, 0, count));
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }
                string? exchange = null;
                // Reads to the end, so that text which is not valid JSON as a whole gives null.
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                    {
                        var named = reader.ValueTextEquals(ExchangeProperty);
                        reader.Read();
                        if (named && exchange is null && reader.TokenType == JsonTokenType.String)
                        {
                            exchange = reader.GetString();
                        }
                    }
                }
                return exchange;
            }
            catch (JsonException)
            {
                return null;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
        }

        private long CountRecords()
        {
            using var command = database.Connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM audit_log;";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        private static AuditVerification Fail(AuditVerification result, long? sequence, string reason, long count)
        {
            result.IsValid = false;
            result.FirstInvalidSequence = sequence;
            result.Reason = char.ToUpperInvariant(reason[0]) + reason.Substring(1) + ".";
            result.RecordCount = count;
            return result;
        }

        private static (long Sequence, string Mac)? ParseHead(string head)
        {
            var parts = head.Trim().Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1
                || parts[1].Length != 64)
            {
                throw new CtException(ErrorIds.InvalidAuditHead, CtErrorKind.InvalidArgument,
                    "An audit head has the form 'Sequence:ChainHash' (for example the Head property of Test-CtAuditLog's result, or of an audit record).", head);
            }
            return (sequence, parts[1].ToLowerInvariant());
        }
    }
}
