using System;
using System.Collections.Generic;
using System.Linq;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Permissions;
using CryptoTrader.Core.Storage;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// Repair-CtAuditLog: the one way back after a real incident. It finds what is wrong (the chain walked through every
    /// problem, the head, the audit state), then in one transaction appends an ERROR record (action audit_log_repaired)
    /// naming the previous head, every problem, the exact observations it acknowledges and who repaired it; revokes
    /// every trading grant (which facts were lost cannot be known); folds the audit facts again from the records whose
    /// own MAC holds; and re-anchors the head on the new record. The problems stay in the log, visible to
    /// Test-CtAuditLog -Detailed, ever after.
    /// </summary>
    public sealed class AuditRepair
    {
        private readonly CtDatabase database;
        private readonly AuditHeadFile headFile;
        private readonly AuditChain chain;
        private readonly string userId;
        private readonly KeyRingProvider? keyRings;

        /// <param name="keyRings">Where the rollback anchor is kept; the repair re-anchors it on its own record.</param>
        public AuditRepair(CtDatabase database, DataHome home, KeyRing ring, string userId, KeyRingProvider? keyRings = null)
        {
            this.database = database;
            headFile = new AuditHeadFile(home);
            chain = new AuditChain(ring);
            this.userId = userId;
            this.keyRings = keyRings;
        }

        /// <summary>What a repair would record now; nothing is changed. Empty when the log verifies.</summary>
        public IReadOnlyList<AuditFinding> Inspect()
        {
            using var snapshot = new CtTransaction(database.Connection, readOnly: true);
            var head = headFile.ReadAtSnapshot(() => AuditLog.BeginSnapshot(database, snapshot));
            return Examine(snapshot, head).Problems;
        }

        /// <summary>Records the problems found now and lets the log go on; no records when there was nothing to repair.</summary>
        public IReadOnlyList<AuditRecord> Repair()
        {
            // A repair writes the head anew, also where it was deleted.
            using var head = headFile.Lock(createIfMissing: true);
            AuditTransaction audit;
            using (var transaction = new CtTransaction(database.Connection))
            {
                var examined = Examine(transaction, head.Current);
                if (examined.Problems.Count == 0)
                {
                    return Array.Empty<AuditRecord>();
                }
                audit = AuditTransaction.ForRepair(database, transaction, chain, userId, examined.LastSequence, examined.LastMac, examined.Facts);
                audit.Append(AuditEventType.Error, new AuditDetails()
                    .Add("error_id", Errors.ErrorIds.AuditLogTampered)
                    .Add("action", AuditRepairs.Action)
                    .Add("previous_head", Describe(head.Current))
                    .Add("log_end", examined.LastSequence + ":" + examined.LastMac)
                    .Add("problems", string.Join("; ", examined.Problems.Select(p => p.ToString())))
                    .Add("acknowledged", string.Join("\n", examined.Problems.Where(p => p.Key.Length > 0).Select(p => p.Key)))
                    .Add("repaired_by", userId));
                RevokeEveryGrant(audit);
                audit.SaveFacts();
                head.Write(AuditHead.Committing(audit.StartSequence, audit.StartMac, audit.LastSequence, audit.LastMac, chain));
                transaction.Commit();
            }
            head.Write(AuditHead.Committed(audit.LastSequence, audit.LastMac, chain));
            keyRings?.RecordAnchor(audit.Appended[0], replace: true);
            return audit.Appended;
        }

        private Examination Examine(CtTransaction transaction, AuditHead? head)
        {
            var facts = AuditFacts.Empty();
            var walk = new AuditChainWalk(chain, AuditRepairs.Load(database.Connection, transaction, chain));
            walk.Walk(database.Connection, transaction, 0, string.Empty, record =>
            {
                if (record.Trusted)
                {
                    facts.Apply(record.Sequence, record.Timestamp, record.EventType, record.Details, record.Mac);
                }
                else
                {
                    facts.Skip(record.Sequence, record.Mac);
                }
            }, throughProblems: true);
            var problems = walk.Findings.Where(f => f.RepairedAt is null).ToList();
            var headProblem = HeadProblem(head, walk.LastSequence, walk.LastMac);
            if (headProblem != null)
            {
                problems.Add(new AuditFinding(null, "Head", headProblem, string.Empty));
            }
            var rolledBack = AuditAnchor.Problem(database.Connection, transaction, chain.Ring, walk.LastSequence);
            if (rolledBack != null)
            {
                problems.Add(new AuditFinding(null, "Rollback", rolledBack, string.Empty));
            }
            var stateProblem = AuditStateStore.Problem(database.Connection, transaction, chain, walk.LastSequence, walk.LastMac);
            if (stateProblem != null)
            {
                problems.Add(new AuditFinding(null, "State", stateProblem, string.Empty));
            }
            return new Examination(problems, facts, walk.LastSequence, walk.LastMac);
        }

        private string? HeadProblem(AuditHead? head, long lastSequence, string lastMac)
        {
            if (head is null)
            {
                return lastSequence == 0 ? null : $"the head file {AuditHeadFile.FileName} is missing or damaged";
            }
            try
            {
                return head.IsSealed(chain) ? head.Mismatch(lastSequence, lastMac) : $"the head file {AuditHeadFile.FileName} was altered (its MAC does not match)";
            }
            catch (KeyRingBehindException)
            {
                return $"the head file {AuditHeadFile.FileName} was sealed with key {head.KeyId}, which is not in the key ring";
            }
        }

        private static string Describe(AuditHead? head) => head is null ? "missing" : head.Sequence + ":" + head.Mac + (head.PendingSequence == 0 ? string.Empty : $" (committing {head.PendingSequence})");

        // Which permission records were lost or changed cannot be known: every credential starts again read-only.
        private void RevokeEveryGrant(AuditTransaction audit)
        {
            var credentials = new SortedSet<(string Exchange, string Name)>(audit.Facts.Permissions.Select(p => (p.Exchange, p.Name)));
            var grants = new GrantStore(database.Connection);
            foreach (var (exchange, name) in grants.All(audit.Transaction))
            {
                credentials.Add((exchange, name));
            }
            foreach (var (exchange, name) in credentials)
            {
                grants.Delete(audit.Transaction, exchange, name);
                audit.Append(AuditEventType.PermissionChanged, new AuditDetails()
                    .Add("exchange", exchange)
                    .Add("name", name)
                    .Add("action", "revoked")
                    .Add("level_after", "ReadOnly")
                    .Add("reason", "the audit log was repaired"));
            }
        }

        private sealed class Examination
        {
            public Examination(List<AuditFinding> problems, AuditFacts facts, long lastSequence, string lastMac)
            {
                Problems = problems;
                Facts = facts;
                LastSequence = lastSequence;
                LastMac = lastMac;
            }

            public List<AuditFinding> Problems { get; }

            public AuditFacts Facts { get; }

            public long LastSequence { get; }

            public string LastMac { get; }
        }
    }
}
