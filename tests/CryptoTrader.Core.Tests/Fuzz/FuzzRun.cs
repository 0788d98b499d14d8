using System;
using System.Globalization;
using CsCheck;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>
    /// How many cases a fuzz property runs, and with which seed. CI runs each property's bounded default;
    /// a long run by hand sets CT_FUZZ_ITERATIONS (cases per property) and optionally CT_FUZZ_SEED (a CsCheck seed
    /// printed by an earlier failure, to replay it). See docs/fuzzing.md.
    /// </summary>
    internal static class FuzzRun
    {
        public const string Category = "Fuzz";

        public static long Iterations(long ciDefault)
        {
            var text = Environment.GetEnvironmentVariable("CT_FUZZ_ITERATIONS");
            if (string.IsNullOrWhiteSpace(text))
            {
                return ciDefault;
            }
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                throw new InvalidOperationException($"CT_FUZZ_ITERATIONS must be a positive whole number, not '{text}'.");
            }
            return value;
        }

        public static string? Seed => Environment.GetEnvironmentVariable("CT_FUZZ_SEED") is { Length: > 0 } seed ? seed : null;

        /// <summary>Runs <paramref name="property"/> on generated cases; a failure is shrunk and reported with its seed.</summary>
        public static void Check<T>(Gen<T> gen, Action<T> property, long ciDefault, int threads = -1, Func<T, string>? print = null) =>
            gen.Sample(property, seed: Seed, iter: Iterations(ciDefault), threads: threads, print: print);
    }
}
