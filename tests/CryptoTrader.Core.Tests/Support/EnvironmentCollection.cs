using System;
using System.Collections.Generic;
using Xunit;

namespace CryptoTrader.Core.Tests.Support
{
    /// <summary>Tests that change process environment variables: run one at a time, never beside other tests.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class EnvironmentCollection
    {
        public const string Name = "Process environment";
    }

    /// <summary>Sets environment variables for the life of the scope and restores the previous values on Dispose.</summary>
    public sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string?> saved = new Dictionary<string, string?>(StringComparer.Ordinal);

        public EnvironmentScope Set(string name, string? value)
        {
            if (!saved.ContainsKey(name))
            {
                saved[name] = Environment.GetEnvironmentVariable(name);
            }

            Environment.SetEnvironmentVariable(name, value);
            return this;
        }

        public void Dispose()
        {
            foreach (KeyValuePair<string, string?> pair in saved)
            {
                Environment.SetEnvironmentVariable(pair.Key, pair.Value);
            }
        }
    }
}
