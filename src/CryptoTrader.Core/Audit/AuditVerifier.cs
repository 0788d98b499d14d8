using System;
using System.Globalization;
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
        private readonly CtDatabase database;
        private readonly AuditChain chain;
        private readonly AuditHeadFile headFile;

        public AuditVerifier(CtDatabase database, DataHome home, KeyRing ring)
        {
            this.database = database;
            chain = new AuditChain(ring);
            headFile = new AuditHeadFile(home);
        }

        /// <param name="expectedHead">"Sequence:ChainHash" seen earlier, or null.</param>
        public AuditVerification Verify(string? expectedHead = null)
        {
            var expected = expectedHead is null ? null : ParseHead(expectedHead);
            var stored = headFile.Read();
            long lastSequence = 0;
            var previousMac = string.Empty;
            string? expectedMacSeen = null;
            string? storedMacSeen = null;

            using (var command = database.Connection.CreateCommand())
            {
                command.CommandText = "SELECT sequence, timestamp, event_type, user_id, details, key_id, prev_mac, mac, exchange FROM audit_log ORDER BY sequence;";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var sequence = reader.GetInt64(0);
                    var mac = reader.GetString(7);
                    var problem = CheckRecord(sequence, lastSequence, previousMac, reader.GetString(1), reader.GetString(2), reader.GetString(3),
                        reader.GetString(4), reader.GetString(5), reader.GetString(6), mac, reader.IsDBNull(8) ? null : reader.GetString(8));
                    if (problem != null)
                    {
                        return Fail(new AuditVerification(), Math.Min(sequence, lastSequence + 1), problem, CountRecords());
                    }
                    if (sequence == expected?.Sequence)
                    {
                        expectedMacSeen = mac;
                    }
                    if (sequence == stored?.Sequence)
                    {
                        storedMacSeen = mac;
                    }
                    lastSequence = sequence;
                    previousMac = mac;
                }
            }

            var result = new AuditVerification { RecordCount = lastSequence, Head = lastSequence == 0 ? null : lastSequence + ":" + previousMac };
            if (expected.HasValue)
            {
                var problem = CompareHead(expected.Value.Sequence, expected.Value.Mac, expectedMacSeen, lastSequence, "the expected head");
                if (problem != null)
                {
                    return Fail(result, Math.Min(expected.Value.Sequence, lastSequence + 1), problem, lastSequence);
                }
            }
            var storedProblem = CheckStoredHead(stored, storedMacSeen, lastSequence);
            if (storedProblem != null)
            {
                // A missing head file condemns no particular record.
                return Fail(result, stored is null ? (long?)null : Math.Min(stored.Sequence, lastSequence + 1), storedProblem, lastSequence);
            }
            result.IsValid = true;
            result.Reason = lastSequence == 0
                ? "The audit log is empty."
                : $"All {lastSequence} records verify and link up" + (expected.HasValue ? "; the expected head is in the log." : ".");
            return result;
        }

        /// <returns>What is wrong with one record in its place after <paramref name="lastSequence"/>, or null.</returns>
        private string? CheckRecord(long sequence, long lastSequence, string previousMac, string timestamp, string eventType, string userId,
            string details, string keyId, string storedPreviousMac, string mac, string? exchange)
        {
            if (sequence != lastSequence + 1)
            {
                return sequence > lastSequence + 1
                    ? $"record {lastSequence + 1} is missing (the next record is {sequence})"
                    : $"record {sequence} is out of order";
            }
            if (!string.Equals(storedPreviousMac, previousMac, StringComparison.Ordinal))
            {
                return $"record {sequence} does not link to the record before it";
            }
            if (!chain.CanVerify(keyId))
            {
                return $"record {sequence} was sealed with key {keyId}, which is not in the key ring";
            }
            if (!chain.MacEquals(mac, sequence, timestamp, eventType, userId, details, keyId, storedPreviousMac))
            {
                return $"record {sequence} was changed after it was written (its MAC does not match)";
            }
            // The exchange column is not MAC'd; it must be exactly what the (MAC'd) details say.
            if (!string.Equals(AuditTransaction.ExchangeOf(details), exchange, StringComparison.Ordinal))
            {
                return $"record {sequence} was changed after it was written (its exchange column does not match its details)";
            }
            return null;
        }

        private string? CheckStoredHead(AuditHeadFile.Head? stored, string? macSeen, long lastSequence)
        {
            if (stored is null)
            {
                return lastSequence == 0 && !System.IO.File.Exists(headFile.Path)
                    ? null
                    : $"the head file '{headFile.Path}' that guards the end of the log is missing or damaged";
            }
            if (!chain.CanVerify(stored.KeyId) || !AuditChain.HexEquals(stored.HeadMac, chain.HeadMac(stored.Sequence, stored.Mac, stored.KeyId)))
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
            if (!AuditChain.HexEquals(macSeen, mac))
            {
                return $"record {sequence} is not the record of {which}: the log was rewritten";
            }
            return null;
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
