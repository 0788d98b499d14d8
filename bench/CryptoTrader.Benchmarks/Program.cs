using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CryptoTrader.Benchmarks
{
    public static class Program
    {
        /// <returns>1 when a benchmark failed to run; BenchmarkDotNet itself reports success either way.</returns>
        public static int Main(string[] args)
        {
            IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new BenchConfig());
            bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
            return failed ? 1 : 0;
        }
    }
}
