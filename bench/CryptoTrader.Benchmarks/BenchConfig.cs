using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CryptoTrader.Benchmarks
{
    /// <summary>
    /// Short runs sized for a 2-core machine: the whole Bench task should take a few minutes.
    /// In-process avoids generating and building a separate boilerplate project per benchmark,
    /// which is the slow and fragile part of a default run.
    /// </summary>
    public sealed class BenchConfig : ManualConfig
    {
        public BenchConfig()
        {
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(10)
                .WithId("Short"));
            AddDiagnoser(MemoryDiagnoser.Default);
            AddLogger(ConsoleLogger.Default);
            AddColumnProvider(DefaultColumnProviders.Instance);
            // bench/Invoke-Benchmarks.ps1 reads the mean times from this file.
            AddExporter(JsonExporter.Brief);
        }
    }
}
