using System;
using System.Collections.Generic;
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
        /// <param name="detailed">Walk on past problems and report every one (Findings), not only the first.</param>
        /// <param name="sinceCheckpoint">
        /// Walk only the records after the last position a verification reached (its MAC'd checkpoint), when there is one;
        /// the end of the log is checked in full either way.
        /// </param>
        /// <param name="keepCheckpoint">
        /// Move the checkpoint to the end when the log is valid (Test-CtAuditLog); a read-only report (Test-CtSecurity) leaves it.
        /// </param>
        public AuditVerification Verify(string? expectedHead = null, bool detailed = false, bool sinceCheckpoint = false, bool keepCheckpoint = false)
        {
            var expected = expectedHead is null ? null : ParseHead(expectedHead);
            var checkpoint = sinceCheckpoint ? AuditCheckpoint.Read(database, chain) : null;
            var result = Verify(expected, detailed, sinceCheckpoint, checkpoint, out var end);
            if (keepCheckpoint && result.IsValid && end.Sequence > (checkpoint?.Sequence ?? 0))
            {
                try
                {
                    AuditCheckpoint.Save(database, chain, end.Sequence, end.Mac);
                }
                catch (Microsoft.Data.Sqlite.SqliteException)
                {
                    // The result stands; the next verification starts from the older checkpoint.
                }
            }
            return result;
        }

        // On one snapshot of the database, taken while no writer was between its check and its commit.
        private AuditVerification Verify((long Sequence, string Mac)? expected, bool detailed, bool sinceCheckpoint, AuditCheckpoint? checkpoint,
            out (long Sequence, string Mac) end)
        {
            var from = checkpoint?.Sequence ?? 0;
            using var transaction = new CtTransaction(database.Connection, readOnly: true);
            var stored = headFile.ReadAtSnapshot(() => AuditLog.BeginSnapshot(database, transaction));
            string? expectedMacSeen = null;
            var repairs = AuditRepairs.Load(database.Connection, transaction, chain);
            var walk = new AuditChainWalk(chain, repairs);
            var complete = walk.Walk(database.Connection, transaction, from, checkpoint?.Mac ?? string.Empty, record =>
            {
                if (record.Sequence == expected?.Sequence)
                {
                    expectedMacSeen = record.Mac;
                }
            }, throughProblems: detailed);
            var findings = new List<AuditFinding>(walk.Findings);
            foreach (var repair in repairs.Records)
            {
                findings.Add(new AuditFinding(repair.Sequence, "Repair", $"Repair-CtAuditLog by {repair.Details["repaired_by"]} found: {repair.Details["problems"]}", string.Empty)
                {
                    RepairedAt = repair.Sequence,
                });
            }
            var lastSequence = walk.LastSequence;
            var lastMac = walk.LastMac;
            end = (lastSequence, lastMac);
            var result = new AuditVerification
            {
                RecordCount = lastSequence,
                Head = lastSequence == 0 ? null : lastSequence + ":" + lastMac,
                Findings = findings,
            };
            if (!complete && !detailed)
            {
                result.RecordCount = CountRecords(transaction);
                return Fail(result, walk.ProblemSequence, walk.Problem!);
            }
            if (expected.HasValue && expected.Value.Sequence > from)
            {
                var problem = CompareHead(expected.Value.Sequence, expected.Value.Mac, expectedMacSeen, lastSequence, "the expected head");
                if (problem != null)
                {
                    findings.Add(new AuditFinding(Math.Min(expected.Value.Sequence, lastSequence + 1), "Head", problem, string.Empty));
                }
            }
            var storedProblem = CheckStoredHead(stored, lastSequence, lastMac);
            if (storedProblem != null)
            {
                // A missing head file condemns no particular record.
                long? at = stored is null ? (long?)null
                    : lastSequence < stored.Sequence ? lastSequence + 1
                    : lastSequence > stored.HighestSequence ? stored.HighestSequence + 1
                    : lastSequence;
                findings.Add(new AuditFinding(at, "Head", storedProblem, string.Empty));
            }
            var rolledBack = AuditAnchor.Problem(database.Connection, transaction, chain.Ring, lastSequence);
            if (rolledBack != null)
            {
                findings.Add(new AuditFinding(null, "Rollback", rolledBack, string.Empty));
            }
            var stateProblem = AuditStateStore.Problem(database.Connection, transaction, chain, lastSequence, lastMac);
            if (stateProblem != null)
            {
                findings.Add(new AuditFinding(null, "State", stateProblem, string.Empty));
            }
            var first = findings.Find(f => f.RepairedAt is null);
            if (first != null)
            {
                return Fail(result, first.Sequence, first.Problem);
            }
            result.IsValid = true;
            result.VerifiedFrom = from + 1;
            var scope = checkpoint != null ? $"Records {from + 1} to {lastSequence} (after the checkpoint at record {from}) verify and link up"
                : (sinceCheckpoint ? "There is no usable checkpoint, so the whole log was checked: " : string.Empty) + $"All {lastSequence} records verify and link up";
            result.Reason = lastSequence == 0
                ? "The audit log is empty."
                : scope + (expected.HasValue ? "; the expected head is in the log" : string.Empty)
                    + (repairs.Records.Count == 0 ? "." : $"; {repairs.Records.Count} repair(s) recorded what was wrong before (see -Detailed).");
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

        private long CountRecords(CtTransaction transaction)
        {
            using var command = database.Connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT count(*) FROM audit_log;";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        private static AuditVerification Fail(AuditVerification result, long? sequence, string reason)
        {
            result.IsValid = false;
            result.FirstInvalidSequence = sequence;
            result.Reason = char.ToUpperInvariant(reason[0]) + reason.Substring(1) + ".";
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
