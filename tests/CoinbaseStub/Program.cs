using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace CoinbaseStub
{
    /// <summary>
    /// Runs the stub for the Pester suite: makes a CA, a server certificate and a CDP key, writes ca.pem, key.pem
    /// (SEC1) and key-name.txt into the folder given, then url.txt once listening; stops when stdin closes or after
    /// the given number of seconds (bounded, so a forgotten stub never lingers).
    /// Usage: CoinbaseStub &lt;folder&gt; [max-seconds] [can-trade true|false] [can-transfer true|false]
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            if (args.Length < 1)
            {
                Console.Error.WriteLine("usage: CoinbaseStub <folder> [max-seconds] [can-trade] [can-transfer]");
                return 2;
            }
            var folder = args[0];
            var seconds = args.Length > 1 ? int.Parse(args[1]) : 300;
            Directory.CreateDirectory(folder);
            using var ca = TestPki.CreateCa("CryptoTrader test CA " + Guid.NewGuid().ToString("N").Substring(0, 8));
            using var certificate = TestPki.CreateServer(ca);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var keyName = "organizations/" + Guid.NewGuid() + "/apiKeys/" + Guid.NewGuid();
            TestPki.WritePem(Path.Combine(folder, "ca.pem"), ca);
            File.WriteAllText(Path.Combine(folder, "key.pem"), key.ExportECPrivateKeyPem());
            File.WriteAllText(Path.Combine(folder, "key-name.txt"), keyName);
            await using var server = await CoinbaseStubServer.StartAsync(certificate, keyName, key);
            server.CanTrade = args.Length <= 2 || bool.Parse(args[2]);
            server.CanTransfer = args.Length > 3 && bool.Parse(args[3]);
            File.WriteAllText(Path.Combine(folder, "url.txt"), server.BaseUrl);
            Console.WriteLine(server.BaseUrl);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var stdin = Task.Run(() => Console.In.ReadToEnd());
            await Task.WhenAny(stdin, Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }));
            return 0;
        }
    }
}
