using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CryptoTrader.Core.Audit;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    public sealed class AuditReaderTests : IDisposable
    {
        private static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 12, 13, 10, 0, 0, TimeSpan.Zero);
        private readonly AuditTestFolder folder = new AuditTestFolder();

        public AuditReaderTests()
        {
            // seq  time      type              exchange  user
            // 1    10:00:00  API_KEY_CHANGED   coinbase  alice
            // 2    10:00:01  TRADE_REQUESTED   paper     alice
            // 3    10:00:02  TRADE_EXECUTED    coinbase  bob
            // 4    10:00:03  CONFIG_CHANGED    -         bob
            // 5    10:00:04  TRADE_REJECTED    coinbase  alice
            // 6    10:00:05  ERROR             -         bob
            Add("alice", 0, AuditEventType.ApiKeyChanged, "coinbase");
            Add("alice", 1, AuditEventType.TradeRequested, "paper");
            Add("bob", 2, AuditEventType.TradeExecuted, "coinbase");
            Add("bob", 3, AuditEventType.ConfigChanged, null);
            Add("alice", 4, AuditEventType.TradeRejected, "coinbase");
            Add("bob", 5, AuditEventType.Error, null);
        }

        public void Dispose() => folder.Dispose();

        [Fact]
        public void NoFilter_ReturnsEverythingInSequenceOrder()
        {
            Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, Read(new AuditQuery()));
            Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, Read(new AuditQuery { EventTypes = Array.Empty<string>() }));
            Assert.Equal(6, folder.Reader.Count());
        }

        [Fact]
        public void EventTypes_MatchAnyOfTheGivenTypes()
        {
            Assert.Equal(new long[] { 3, 5 }, Read(new AuditQuery { EventTypes = new[] { AuditEventType.TradeRejected, AuditEventType.TradeExecuted } }));
            Assert.Equal(new long[] { 4 }, Read(new AuditQuery { EventTypes = new[] { AuditEventType.ConfigChanged } }));
            Assert.Empty(Read(new AuditQuery { EventTypes = new[] { AuditEventType.EncryptionKeyRotated } }));
        }

        [Fact]
        public void Exchange_MatchesTheExchangeDetail()
        {
            Assert.Equal(new long[] { 1, 3, 5 }, Read(new AuditQuery { Exchange = "coinbase" }));
            Assert.Equal(new long[] { 2 }, Read(new AuditQuery { Exchange = "paper" }));
            Assert.Empty(Read(new AuditQuery { Exchange = "kraken" }));
        }

        [Fact]
        public void UserId_MatchesTheWriter()
        {
            Assert.Equal(new long[] { 3, 4, 6 }, Read(new AuditQuery { UserId = "bob" }));
            Assert.Equal(new long[] { 1, 2, 5 }, Read(new AuditQuery { UserId = "alice" }));
        }

        [Theory]
        [InlineData(2000, new long[] { 4, 5, 6 })] // exactly 10:00:02: strictly after excludes it
        [InlineData(2500, new long[] { 4, 5, 6 })] // 10:00:02.5: from 10:00:03 on
        [InlineData(1999, new long[] { 3, 4, 5, 6 })] // 10:00:01.999: 10:00:02 is after it
        [InlineData(-1, new long[] { 1, 2, 3, 4, 5, 6 })]
        [InlineData(5000, new long[0])]
        public void After_IsStrictWithWholeSecondRecords(int milliseconds, long[] expected)
        {
            Assert.Equal(expected, Read(new AuditQuery { After = T0.AddMilliseconds(milliseconds) }));
        }

        [Theory]
        [InlineData(2000, new long[] { 1, 2 })] // exactly 10:00:02: strictly before excludes it
        [InlineData(2001, new long[] { 1, 2, 3 })] // 10:00:02.001: 10:00:02 is before it
        [InlineData(2500, new long[] { 1, 2, 3 })]
        [InlineData(0, new long[0])]
        [InlineData(5001, new long[] { 1, 2, 3, 4, 5, 6 })]
        public void Before_IsStrictWithWholeSecondRecords(int milliseconds, long[] expected)
        {
            Assert.Equal(expected, Read(new AuditQuery { Before = T0.AddMilliseconds(milliseconds) }));
        }

        [Fact]
        public void AfterAndBefore_AreComparedInUtc()
        {
            var plusTwo = TimeSpan.FromHours(2);
            Assert.Equal(new long[] { 4, 5, 6 }, Read(new AuditQuery { After = new DateTimeOffset(2025, 12, 13, 12, 0, 2, plusTwo) }));
            Assert.Equal(new long[] { 1, 2 }, Read(new AuditQuery { Before = new DateTimeOffset(2025, 12, 13, 5, 0, 2, TimeSpan.FromHours(-5)) }));
        }

        [Fact]
        public void FirstAndLast_ReturnOldestFirst()
        {
            Assert.Equal(new long[] { 1, 2 }, Read(new AuditQuery { First = 2 }));
            Assert.Equal(new long[] { 5, 6 }, Read(new AuditQuery { Last = 2 }));
            Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, Read(new AuditQuery { Last = 100 }));
            Assert.Empty(Read(new AuditQuery { First = 0 }));
        }

        [Fact]
        public void Combinations_ApplyEveryFilter()
        {
            Assert.Equal(new long[] { 1, 5 }, Read(new AuditQuery { Exchange = "coinbase", UserId = "alice" }));
            Assert.Equal(new long[] { 3, 5 }, Read(new AuditQuery { EventTypes = new[] { AuditEventType.TradeRequested, AuditEventType.TradeExecuted, AuditEventType.TradeRejected }, Last = 2 }));
            Assert.Equal(new long[] { 1 }, Read(new AuditQuery { Exchange = "coinbase", First = 1 }));
            Assert.Equal(new long[] { 3, 4 }, Read(new AuditQuery { UserId = "bob", After = T0, Before = T0.AddSeconds(5) }));
            Assert.Equal(new long[] { 3 }, Read(new AuditQuery { Exchange = "coinbase", UserId = "bob", EventTypes = new[] { AuditEventType.TradeExecuted }, After = T0.AddSeconds(1), Before = T0.AddSeconds(3) }));
            // First applies to what Last selected.
            Assert.Equal(new long[] { 5 }, Read(new AuditQuery { Last = 2, First = 1 }));
        }

        [Fact]
        public void RecordsReadBack_EqualWhatWasWritten()
        {
            var record = folder.ReadAll()[2];

            Assert.Equal(3, record.Sequence);
            Assert.Equal(T0.AddSeconds(2).UtcDateTime, record.Timestamp);
            Assert.Equal("2025-12-13T10:00:02Z", record.TimestampText);
            Assert.Equal(AuditEventType.TradeExecuted, record.EventType);
            Assert.Equal("bob", record.UserId);
            Assert.Equal("coinbase", record.Details["exchange"]);
            Assert.Equal(3L, record.Details["n"]);
        }

        [Fact]
        public void Read_StreamsRowsLazily()
        {
            using var big = new AuditTestFolder();
            big.Log.Write(t =>
            {
                for (var i = 0; i < 10_000; i++)
                {
                    t.Append(AuditEventType.TradeRequested, new AuditDetails().Add("i", (long)i));
                }
            });
            // Record 2 can no longer be turned into an AuditRecord: reading it throws. A reader that
            // materialized the result would fail before handing out record 1.
            big.Tamper("UPDATE audit_log SET details = 'not json' WHERE sequence = 2;");

            var produced = 0;
            CryptoTrader.AuditRecord? first = null;
            foreach (var record in big.Reader.Read(new AuditQuery()))
            {
                produced++;
                first = record;
                break;
            }

            Assert.Equal(1, produced);
            Assert.Equal(1, first!.Sequence);
            Assert.ThrowsAny<JsonException>(() => big.Reader.Read(new AuditQuery()).Take(3).ToList());
            Assert.Equal(10_000, big.Reader.Count());
        }

        private long[] Read(AuditQuery query) => folder.Reader.Read(query).Select(r => r.Sequence).ToArray();

        private void Add(string user, int second, string type, string? exchange)
        {
            var log = new AuditLog(folder.Database, folder.Home, folder.Ring, user);
            var details = new AuditDetails();
            if (exchange != null)
            {
                details.Add("exchange", exchange);
            }
            details.Add("n", (long)(second + 1));
            log.Write(t => t.Append(type, details, T0.AddSeconds(second)));
        }
    }
}
