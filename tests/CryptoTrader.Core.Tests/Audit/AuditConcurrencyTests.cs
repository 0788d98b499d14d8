using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Storage;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    public class AuditConcurrencyTests
    {
        private const int Threads = 4;
        private const int PerThread = 250;

        [Fact]
        public void ConcurrentWritersOnSeparateConnections_ProduceOneGaplessValidChain()
        {
            using var folder = new AuditTestFolder();
            var errors = new ConcurrentQueue<Exception>();
            var returned = new ConcurrentBag<long>();
            using var start = new Barrier(Threads);

            var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                try
                {
                    using var database = CtDatabase.Open(folder.Home);
                    var log = new AuditLog(database, folder.Home, folder.Ring, "writer" + t);
                    start.SignalAndWait();
                    for (var i = 0; i < PerThread; i++)
                    {
                        var record = log.Append(AuditEventType.TradeRequested, new AuditDetails().Add("thread", (long)t).Add("i", (long)i));
                        returned.Add(record.Sequence);
                    }
                }
                catch (Exception e)
                {
                    errors.Enqueue(e);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.Empty(errors);
            const int total = Threads * PerThread;
            var all = folder.ReadAll();
            Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), all.Select(r => r.Sequence));
            // Every Append reported a distinct sequence number: no two writers chained onto the same record.
            Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), returned.OrderBy(s => s));
            for (var t = 0; t < Threads; t++)
            {
                var mine = all.Where(r => r.UserId == "writer" + t).Select(r => (long)r.Details["i"]!).ToList();
                Assert.Equal(Enumerable.Range(0, PerThread).Select(i => (long)i), mine);
            }

            var result = folder.Verify();
            Assert.True(result.IsValid, result.Reason);
            Assert.Equal(total, result.RecordCount);
            // The head file only moves forward, so the writer of the last record leaves it at that record.
            var head = System.IO.File.ReadAllText(folder.HeadFilePath).Split(' ');
            Assert.Equal((long)total, long.Parse(head[1]));
            Assert.Equal(all.Last().ChainHash, head[2]);
        }
    }
}
