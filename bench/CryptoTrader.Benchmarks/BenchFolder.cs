using System;
using System.IO;

namespace CryptoTrader.Benchmarks
{
    /// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
    internal sealed class BenchFolder : IDisposable
    {
        public BenchFolder(string name)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ct-bench-" + name + "-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is not worth failing a benchmark run.
            }
        }
    }
}
