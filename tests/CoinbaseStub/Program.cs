using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace CoinbaseStub
{
    /// <summary>
    /// Runs the stub for the Pester suite: makes a CA, a server certificate and a CDP key, writes ca.pem, key.pem
    /// (SEC1) and key-name.txt into the folder given, then url.txt once listening; stops when stdin closes or after
    /// the given number of seconds (bounded, so a forgotten stub never lingers).
    /// Every request is logged to requests.log in the folder (see <see cref="CoinbaseStubServer.RequestLogPath"/>).
    /// Usage: CoinbaseStub &lt;folder&gt; [max-seconds] [can-trade true|false] [can-transfer true|false]
    ///        [--candle-rate-limit-every n] [--candle-gap-every n]
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            if (args.Length < 1)
            {
                Console.Error.WriteLine("usage: CoinbaseStub <folder> [max-seconds] [can-trade] [can-transfer] [--candle-rate-limit-every n] [--candle-gap-every n]");
                return 2;
            }
            var rateLimitEvery = Option(args, "--candle-rate-limit-every", 0);
            var gapEvery = Option(args, "--candle-gap-every", 1000);
            args = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
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
            server.CandleRateLimitEvery = rateLimitEvery;
            server.CandleGapEvery = gapEvery;
            server.RequestLogPath = Path.Combine(folder, "requests.log");
            File.WriteAllText(Path.Combine(folder, "url.txt"), server.BaseUrl);
            Console.WriteLine(server.BaseUrl);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var stdin = Task.Run(() => Console.In.ReadToEnd());
            await Task.WhenAny(stdin, Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }));
            return 0;
        }

        private static int Option(string[] args, string name, int fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;
        }
    }
}
