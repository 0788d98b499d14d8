using System.IO;
using System.Linq;
using Xunit;

namespace CryptoTrader.Core.Tests.Coinbase
{
    /// <summary>Invariant 8 in the source: product code never switches certificate validation off or names another host.</summary>
    public sealed class NetworkPolicyTests
    {
        [Fact]
        public void ProductCodeNeverTouchesCertificateValidation()
        {
            var forbidden = new[]
            {
                "ServerCertificateCustomValidationCallback", "RemoteCertificateValidationCallback", "ServerCertificateValidationCallback",
                "DangerousAcceptAnyServerCertificateValidator", "CheckCertificateRevocationList = false", "SslOptions",
            };
            var sources = Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar));
            foreach (var file in sources)
            {
                var text = File.ReadAllText(file);
                foreach (var name in forbidden)
                {
                    Assert.False(text.Contains(name), $"{file} mentions {name}");
                }
                if (text.Contains("http://"))
                {
                    Assert.Fail($"{file} contains an http:// URL");
                }
            }
        }
    }
}
