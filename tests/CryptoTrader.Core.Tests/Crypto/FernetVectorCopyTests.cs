using System.IO;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    /// <summary>tests/fixtures/fernet is the spec's vectors for a clone without the shared folder beside it.</summary>
    public sealed class FernetVectorCopyTests
    {
        [Theory]
        [InlineData("generate")]
        [InlineData("verify")]
        [InlineData("invalid")]
        public void TheRepositorysCopy_IsTheSharedFile_WhereThatIsPresent(string kind)
        {
            string copy = Path.Combine(TestPaths.FernetVectorsCopyDirectory, kind + ".json");
            string shared = Path.Combine(TestPaths.SharedFernetVectorsDirectory, kind + ".json");

            Assert.True(File.Exists(copy), copy);
            if (File.Exists(shared))
            {
                Assert.Equal(File.ReadAllBytes(shared), File.ReadAllBytes(copy));
            }
            else
            {
                Assert.NotEmpty(FernetVectors.Load(kind));
            }
        }
    }
}
