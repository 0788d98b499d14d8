using System.Threading;
using System.Threading.Tasks;
using CryptoTrader.Core.Credentials;
using Xunit;

namespace CryptoTrader.Core.Tests.Credentials
{
    public class GrowingArrayTests
    {
        [Fact]
        public void GrowsByWholeBlocks_AndKeepsWhatWasWritten()
        {
            var array = new GrowingArray<int>();
            Assert.Equal(0, array.Length);

            array.EnsureLength(1);
            Assert.Equal(1024, array.Length);
            array[0] = 7;
            array[1023] = 8;

            // Past the first directory of 8 blocks, so the directory itself is replaced too.
            array.EnsureLength(20_000);
            Assert.True(array.Length >= 20_000);
            array[19_999] = 9;

            Assert.Equal(7, array[0]);
            Assert.Equal(8, array[1023]);
            Assert.Equal(9, array[19_999]);
            Assert.Equal(0, array[1024]);
        }

        [Fact]
        public async Task WritesFromAnotherThread_SurviveGrowth()
        {
            const int elements = 50_000;
            var array = new GrowingArray<int>();
            var published = 0;
            var writer = Task.Run(() =>
            {
                for (var i = 0; i < elements; i++)
                {
                    while (i >= Volatile.Read(ref published))
                    {
                        Thread.Yield();
                    }
                    Volatile.Write(ref array[i], i + 1);
                }
            });
            for (var i = 0; i < elements; i++)
            {
                array.EnsureLength(i + 1);
                Volatile.Write(ref published, i + 1);
            }
            await writer;

            for (var i = 0; i < elements; i++)
            {
                Assert.Equal(i + 1, array[i]);
            }
        }
    }
}
