using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using CoinbaseStub;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Exchanges.Coinbase;
using Xunit;

namespace CryptoTrader.Core.Tests.Coinbase
{
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class CoinbaseCollection : ICollectionFixture<CoinbaseFixture>
    {
        public const string Name = "Coinbase stub";
    }

    /// <summary>
    /// The run's CA (trusted through SSL_CERT_FILE, see the project file), one stub server with a certificate from
    /// it, and the CDP key the stub expects. A second CA, not trusted, exists for the untrusted-certificate test.
    /// </summary>
    public sealed class CoinbaseFixture : IAsyncLifetime
    {
        public const string CaFileName = "coinbase-test-ca.pem";

        public X509Certificate2 Ca { get; } = TestPki.CreateCa("CryptoTrader test CA " + Guid.NewGuid().ToString("N").Substring(0, 8));

        public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        public string KeyName { get; } = "organizations/" + Guid.NewGuid() + "/apiKeys/" + Guid.NewGuid();

        public string Pem => Key.ExportECPrivateKeyPem();

        public CoinbaseStubServer Server { get; private set; } = null!;

        /// <summary>Why HTTPS tests cannot run (no trusted CA file for this process), or null.</summary>
        public string? TrustProblem { get; private set; }

        public async Task InitializeAsync()
        {
            var caFile = Environment.GetEnvironmentVariable("SSL_CERT_FILE");
            // Only ever write the file the project set up for this purpose, never a real CA bundle.
            if (caFile is null || Path.GetFileName(caFile) != CaFileName)
            {
                TrustProblem = "SSL_CERT_FILE does not point at " + CaFileName + ": run the tests with dotnet test (the project's run settings set it).";
            }
            else
            {
                TestPki.WritePem(caFile, Ca);
            }
            Server = await CoinbaseStubServer.StartAsync(TestPki.CreateServer(Ca), KeyName, Key);
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Key.Dispose();
            Ca.Dispose();
        }

        public ApiCredential Credential(string? pem = null) => new ApiCredential("coinbase", "default", KeyName, (pem ?? Pem).ToCharArray());

        public void Reset()
        {
            Server.CanView = true;
            Server.CanTrade = true;
            Server.CanTransfer = false;
            Server.CandleGapEvery = 1000;
            Server.CandleRateLimitEvery = 0;
            while (Server.Script.TryDequeue(out _))
            {
            }
            lock (Server.Requests)
            {
                Server.Requests.Clear();
            }
            Server.Orders.Clear();
        }

        internal (CoinbaseAdapter Adapter, List<TimeSpan> Sleeps) Adapter()
        {
            Assert.True(TrustProblem is null, TrustProblem);
            var sleeps = new List<TimeSpan>();
            return (new CoinbaseAdapter(new CoinbaseHttp(new Uri(Server.BaseUrl), sleep: sleeps.Add)), sleeps);
        }
    }
}
