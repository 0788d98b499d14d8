using System;
using System.Collections.Concurrent;
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
            var stored = headFile.Read();
            var walk = new ChainWalk(expected?.Sequence, stored?.Sequence);
            var checkers = new ConcurrentBag<RowChecker>();

            // Rows are read into one batch on this thread while the batch before is checked on the others.
            using (var select = new RawStatement(database.Connection, AuditRowBatch.Select))
            {
                var current = (Rows: new AuditRowBatch(BatchSize), Verdicts: new RowVerdict[BatchSize]);
                var next = (Rows: new AuditRowBatch(BatchSize), Verdicts: new RowVerdict[BatchSize]);
                var more = current.Rows.Fill(select);
                while (more)
                {
                    var batch = current;
                    var checking = Task.Run(() => CheckRows(batch.Rows, batch.Verdicts, checkers));
                    try
                    {
                        more = next.Rows.Fill(select);
                    }
                    finally
                    {
                        checking.GetAwaiter().GetResult();
                    }
                    var problem = walk.Walk(batch.Rows, batch.Verdicts);
                    if (problem != null)
                    {
                        return Fail(new AuditVerification(), problem.Value.Sequence, problem.Value.Reason, CountRecords());
                    }
                    (current, next) = (next, current);
                }
            }

            var result = new AuditVerification { RecordCount = walk.LastSequence, Head = walk.Head };
            if (expected.HasValue)
            {
                var problem = CompareHead(expected.Value.Sequence, expected.Value.Mac, walk.ExpectedMacSeen, walk.LastSequence, "the expected head");
                if (problem != null)
                {
                    return Fail(result, Math.Min(expected.Value.Sequence, walk.LastSequence + 1), problem, walk.LastSequence);
                }
            }
            var storedProblem = CheckStoredHead(stored, walk.StoredMacSeen, walk.LastSequence);
            if (storedProblem != null)
            {
                // A missing head file condemns no particular record.
                return Fail(result, stored is null ? (long?)null : Math.Min(stored.Sequence, walk.LastSequence + 1), storedProblem, walk.LastSequence);
            }
            result.IsValid = true;
            result.Reason = walk.LastSequence == 0
                ? "The audit log is empty."
                : $"All {walk.LastSequence} records verify and link up" + (expected.HasValue ? "; the expected head is in the log." : ".");
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
        private void CheckRows(AuditRowBatch rows, RowVerdict[] verdicts, ConcurrentBag<RowChecker> checkers)
        {
            Parallel.For(0, rows.Count, () => checkers.TryTake(out var idle) ? idle : new RowChecker(ring), (i, _, checker) =>
            {
                verdicts[i] = checker.Check(rows, i);
                return checker;
            }, checkers.Add);
        }

        /// <summary>Checks records on one thread: its own MAC state, and the strings of the few key ids seen.</summary>
        private sealed class RowChecker
        {
            private readonly AuditChain chain;
            private readonly RepeatedText keyIds = new RepeatedText();

            public RowChecker(KeyRing ring)
            {
                chain = new AuditChain(ring);
            }

            public RowVerdict Check(AuditRowBatch rows, int row)
            {
                var keyId = keyIds.Of(rows[row, AuditField.KeyId]);
                return !chain.CanVerify(keyId) ? RowVerdict.UnknownKey
                    : !chain.MacEquals(rows, row, keyId) ? RowVerdict.MacMismatch
                    // The exchange column is not MAC'd; it must be exactly what the (MAC'd) details say.
                    : !ExchangeMatches(rows[row, AuditField.Details], rows.HasNoExchange(row), rows[row, AuditField.Exchange]) ? RowVerdict.ExchangeMismatch
                    : RowVerdict.Sound;
            }
        }

        /// <summary>The links between records, walked in sequence order across batches, and the heads met on the way.</summary>
        private sealed class ChainWalk
        {
            private readonly long? expectedSequence;
            private readonly long? storedSequence;
            private byte[] previousMac = new byte[64];
            private int previousMacLength;

            public ChainWalk(long? expectedSequence, long? storedSequence)
            {
                this.expectedSequence = expectedSequence;
                this.storedSequence = storedSequence;
            }

            public long LastSequence { get; private set; }

            public string? ExpectedMacSeen { get; private set; }

            public string? StoredMacSeen { get; private set; }

            public string? Head => LastSequence == 0 ? null : LastSequence + ":" + Encoding.UTF8.GetString(previousMac, 0, previousMacLength);

            /// <returns>The first problem in the batch, or null.</returns>
            public (long Sequence, string Reason)? Walk(AuditRowBatch rows, RowVerdict[] verdicts)
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    var sequence = rows.Sequence(i);
                    string? problem = null;
                    if (sequence != LastSequence + 1)
                    {
                        problem = sequence > LastSequence + 1
                            ? $"record {LastSequence + 1} is missing (the next record is {sequence})"
                            : $"record {sequence} is out of order";
                    }
                    else if (!rows[i, AuditField.PreviousMac].SequenceEqual(new ReadOnlySpan<byte>(previousMac, 0, previousMacLength)))
                    {
                        problem = $"record {sequence} does not link to the record before it";
                    }
                    else if (verdicts[i] == RowVerdict.UnknownKey)
                    {
                        problem = $"record {sequence} was sealed with key {Encoding.UTF8.GetString(rows[i, AuditField.KeyId].ToArray())}, which is not in the key ring";
                    }
                    else if (verdicts[i] == RowVerdict.MacMismatch)
                    {
                        problem = $"record {sequence} was changed after it was written (its MAC does not match)";
                    }
                    else if (verdicts[i] == RowVerdict.ExchangeMismatch)
                    {
                        problem = $"record {sequence} was changed after it was written (its exchange column does not match its details)";
                    }
                    if (problem != null)
                    {
                        return (Math.Min(sequence, LastSequence + 1), problem);
                    }
                    var mac = rows[i, AuditField.Mac];
                    if (sequence == expectedSequence)
                    {
                        ExpectedMacSeen = Encoding.UTF8.GetString(mac.ToArray());
                    }
                    if (sequence == storedSequence)
                    {
                        StoredMacSeen = Encoding.UTF8.GetString(mac.ToArray());
                    }
                    if (mac.Length > previousMac.Length)
                    {
                        previousMac = new byte[mac.Length];
                    }
                    mac.CopyTo(previousMac);
                    previousMacLength = mac.Length;
                    LastSequence = sequence;
                }
                return null;
            }
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

        /// <summary>
        /// Whether the exchange column holds what AuditTransaction stores there: the first "exchange" detail that is
        /// text, or NULL when there is none (or the details are not a valid JSON object).
        /// </summary>
        /// <remarks>A streaming reader over the stored bytes: this runs once per record.</remarks>
        private static bool ExchangeMatches(ReadOnlySpan<byte> detailsJson, bool columnIsNull, ReadOnlySpan<byte> column)
        {
            var reader = new Utf8JsonReader(detailsJson);
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return columnIsNull;
                }
                bool? matches = null;
                // Reads to the end, so that text which is not valid JSON as a whole counts as no exchange.
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                    {
                        var named = reader.ValueTextEquals(ExchangeProperty);
                        reader.Read();
                        if (named && matches is null && reader.TokenType == JsonTokenType.String)
                        {
                            matches = !columnIsNull && reader.ValueTextEquals(column);
                        }
                    }
                }
                return matches ?? columnIsNull;
            }
            catch (JsonException)
            {
                return columnIsNull;
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
