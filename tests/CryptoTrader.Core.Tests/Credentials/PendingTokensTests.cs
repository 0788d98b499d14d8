using System;
using System.Text;
using CryptoTrader.Core.Credentials;
using Xunit;

namespace CryptoTrader.Core.Tests.Credentials
{
    public class PendingTokensTests
    {
        private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        [Fact]
        public void KeepsEachRowsToken_AcrossBuffers_AndReplacesItInPlace()
        {
            var pending = new PendingTokens();
            // About 3 MB: several buffers.
            for (var i = 0; i < 5_000; i++)
            {
                pending.Add(1000 + i, Utf8("coinbase"), Utf8("n" + i), "key", Encoding.ASCII.GetBytes(new string((char)('a' + (i % 26)), 500 + (i % 300))));
            }
            for (var i = 0; i < pending.Count; i += 2)
            {
                pending.Replace(i, Encoding.ASCII.GetBytes(new string((char)('A' + (i % 26)), 500 + (i % 300))));
            }

            for (var i = 0; i < pending.Count; i++)
            {
                Assert.Equal("n" + i, pending.Name(i));
                Assert.Equal("coinbase", pending.Exchange(i));
                Assert.Equal(1000 + i, pending.RowId(i));
                var expected = new string((char)((i % 2 == 0 ? 'A' : 'a') + (i % 26)), 500 + (i % 300));
                Assert.Equal(expected, Encoding.ASCII.GetString(pending.Token(i)));
            }
        }

        [Fact]
        public void RefusesANewTokenLongerThanTheOld_AndKeepsTheOld()
        {
            var pending = new PendingTokens();
            pending.Add(0, Utf8("coinbase"), Utf8("a"), "key", Encoding.ASCII.GetBytes("0123"));

            Assert.Throws<ArgumentException>(() => pending.Replace(0, Encoding.ASCII.GetBytes("45678")));

            Assert.Equal("0123", Encoding.ASCII.GetString(pending.Token(0)));
            Assert.False(pending.IsSettled(0));
        }

        [Fact]
        public void RefusesARowThatWasNotAdded_AndAnEmptyToken()
        {
            var pending = new PendingTokens();
            pending.Add(0, Utf8("coinbase"), Utf8("a"), "key", Encoding.ASCII.GetBytes("abcd"));

            Assert.Throws<ArgumentOutOfRangeException>(() => pending.Name(1));
            Assert.Throws<ArgumentOutOfRangeException>(() => pending.Replace(-1, Encoding.ASCII.GetBytes("ABCD")));
            Assert.Throws<ArgumentOutOfRangeException>(() => pending.Refuse(1));
            Assert.Throws<ArgumentException>(() => pending.Replace(0, Array.Empty<byte>()));
            Assert.False(pending.IsSettled(0));
        }

        [Fact]
        public void TellsReplacedRowsFromRefusedOnes_AndARefusedRowKeepsItsToken()
        {
            var pending = new PendingTokens();
            pending.Add(0, Utf8("coinbase"), Utf8("a"), "key", Encoding.ASCII.GetBytes("abcd"));
            pending.Add(0, Utf8("coinbase"), Utf8("b"), "key", Encoding.ASCII.GetBytes("efgh"));

            pending.Replace(0, Encoding.ASCII.GetBytes("ABCD"));
            pending.Refuse(1);

            Assert.True(pending.IsSettled(0));
            Assert.True(pending.IsReplaced(0));
            Assert.True(pending.IsSettled(1));
            Assert.False(pending.IsReplaced(1));
            Assert.Equal("efgh", Encoding.ASCII.GetString(pending.Token(1)));
        }

        [Fact]
        public async System.Threading.Tasks.Task RowsCanBeReplacedOnAnotherThread_WhileMoreAreAdded()
        {
            const int rows = 20_000;
            using var pending = new PendingTokens();
            var replacer = System.Threading.Tasks.Task.Run(() =>
            {
                for (var i = 0; i < rows; i++)
                {
                    while (i >= pending.Count)
                    {
                        System.Threading.Thread.Yield();
                    }
                    var token = pending.Token(i).ToArray();
                    Array.Reverse(token);
                    pending.Replace(i, token);
                }
            });
            for (var i = 0; i < rows; i++)
            {
                pending.Add(0, Utf8("coinbase"), Utf8("n" + i), "key", Utf8("token-" + i.ToString("D6")));
            }
            pending.MarkComplete();
            await replacer;

            for (var i = 0; i < rows; i++)
            {
                var expected = Utf8("token-" + i.ToString("D6"));
                Array.Reverse(expected);
                Assert.Equal(expected, pending.Token(i).ToArray());
                Assert.Equal("n" + i, pending.Name(i));
            }
        }
    }
}
