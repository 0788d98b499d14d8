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
            string? expectedMacSeen = null;
            var walk = new AuditChainWalk(chain);
            var complete = walk.Walk(database.Connection, null, 0, string.Empty, record =>
            {
                if (record.Sequence == expected?.Sequence)
                {
                    expectedMacSeen = record.Mac;
                }
            });
            if (!complete)
            {
                return Fail(new AuditVerification(), walk.ProblemSequence, walk.Problem!, CountRecords());
            }
            var lastSequence = walk.LastSequence;
            var previousMac = walk.LastMac;

            var result = new AuditVerification { RecordCount = lastSequence, Head = lastSequence == 0 ? null : lastSequence + ":" + previousMac };
            if (expected.HasValue)
            {
                var problem = CompareHead(expected.Value.Sequence, expected.Value.Mac, expectedMacSeen, lastSequence, "the expected head");
                if (problem != null)
                {
                    return Fail(result, Math.Min(expected.Value.Sequence, lastSequence + 1), problem, lastSequence);
                }
            }
            var storedProblem = CheckStoredHead(stored, lastSequence, previousMac);
            if (storedProblem != null)
            {
                // A missing head file condemns no particular record.
                long? at = stored is null ? (long?)null
                    : lastSequence < stored.Sequence ? lastSequence + 1
                    : lastSequence > stored.HighestSequence ? stored.HighestSequence + 1
                    : lastSequence;
                return Fail(result, at, storedProblem, lastSequence);
            }
            result.IsValid = true;
            result.Reason = lastSequence == 0
                ? "The audit log is empty."
                : $"All {lastSequence} records verify and link up" + (expected.HasValue ? "; the expected head is in the log." : ".");
            return result;
        }

        private string? CheckStoredHead(AuditHead? stored, long lastSequence, string lastMac)
        {
            if (stored is null)
            {
                return lastSequence == 0 && !headFile.Exists
                    ? null
                    : $"the head file '{headFile.Path}' that guards the end of the log is missing or damaged";
            }
            try
            {
                if (!stored.IsSealed(chain))
                {
                    return $"the head file '{headFile.Path}' was altered (its MAC does not match)";
                }
            }
            catch (KeyRingBehindException)
            {
                return $"the head file '{headFile.Path}' was sealed with key {stored.KeyId}, which is not in the key ring";
            }
            return stored.Mismatch(lastSequence, lastMac);
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
