using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.MarketData
{
    /// <summary>
    /// Reads candles from CSV: a header naming the columns time, open, high, low, close and volume (any order, any
    /// case, other columns ignored), then one candle a line. The time is Unix seconds or ISO 8601 (UTC when it names
    /// no zone) and must start a candle of the granularity; prices are invariant decimals. Either every row is good,
    /// or an InvalidCandleFile error lists the bad ones by line number and nothing is returned.
    /// </summary>
    internal static class CandleCsv
    {
        public const int MaxErrorsListed = 10;
        private static readonly string[] Required = { "time", "open", "high", "low", "close", "volume" };
        private static readonly string[] IsoFormats =
        {
            "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK",
            "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd",
        };

        /// <summary>The file's candles, oldest first.</summary>
        /// <param name="source">Names the file in error messages.</param>
        public static List<Candle> Parse(TextReader reader, string source, string exchange, string symbol, CandleGranularity granularity)
        {
            var errors = new List<string>();
            var candles = new List<Candle>();
            var lineOfStart = new Dictionary<long, int>();
            int[]? columns = null;
            var headerWidth = 0;
            var lineNumber = 0;
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                lineNumber++;
                if (line.Trim().Length == 0)
                {
                    continue;
                }
                var fields = line.TrimStart('\uFEFF').Split(',').Select(Unquote).ToArray();
                if (columns is null)
                {
                    columns = Header(fields);
                    headerWidth = fields.Length;
                    if (columns is null)
                    {
                        throw Invalid(source, $"line {lineNumber}: the first line must name the columns {string.Join(",", Required)} (found '{Printable(line)}').");
                    }
                    continue;
                }
                if (fields.Length != headerWidth)
                {
                    errors.Add($"line {lineNumber}: {fields.Length} fields where the header has {headerWidth}");
                    continue;
                }
                var problem = TryRead(fields, columns, exchange, symbol, granularity, out var candle);
                if (problem != null)
                {
                    errors.Add($"line {lineNumber}: {problem}");
                    continue;
                }
                var start = CandleTime.ToUnixSeconds(candle!.Start);
                if (lineOfStart.TryGetValue(start, out var earlier))
                {
                    errors.Add($"line {lineNumber}: a second candle for {candle.Start:yyyy-MM-ddTHH:mm:ssZ} (the first is on line {earlier})");
                    continue;
                }
                lineOfStart.Add(start, lineNumber);
                candles.Add(candle);
            }
            if (columns is null)
            {
                throw Invalid(source, $"the file is empty; it needs a header ({string.Join(",", Required)}) and at least one candle.");
            }
            if (errors.Count > 0)
            {
                var listed = string.Join("; ", errors.Take(MaxErrorsListed));
                var more = errors.Count > MaxErrorsListed ? $"; and {errors.Count - MaxErrorsListed} more bad lines" : string.Empty;
                throw Invalid(source, $"{errors.Count} bad line(s), so nothing was stored: {listed}{more}.");
            }
            if (candles.Count == 0)
            {
                throw Invalid(source, "it has a header but no candles.");
            }
            candles.Sort((a, b) => a.Start.CompareTo(b.Start));
            return candles;
        }

        // The index of each required column, or null when the line is not such a header.
        private static int[]? Header(string[] fields)
        {
            var names = fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
            var columns = Required.Select(name => names.IndexOf(name)).ToArray();
            return columns.Any(c => c < 0) ? null : columns;
        }

        private static string? TryRead(string[] fields, int[] columns, string exchange, string symbol, CandleGranularity granularity, out Candle? candle)
        {
            candle = null;
            var timeText = fields[columns[0]].Trim();
            if (!TryParseTime(timeText, out var seconds))
            {
                return $"time '{Printable(timeText)}' is neither Unix seconds nor an ISO 8601 time";
            }
            var start = CandleTime.FromUnixSeconds(seconds);
            if (seconds % granularity.Seconds() != 0)
            {
                return $"{start:yyyy-MM-ddTHH:mm:ssZ} does not start a {granularity} candle";
            }
            var values = new decimal[5];
            for (var i = 0; i < 5; i++)
            {
                var text = fields[columns[i + 1]].Trim();
                if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                {
                    return $"{Required[i + 1]} '{Printable(text)}' is not a number";
                }
            }
            var (open, high, low, close, volume) = (values[0], values[1], values[2], values[3], values[4]);
            if (open <= 0m || high <= 0m || low <= 0m || close <= 0m)
            {
                return "prices must be greater than zero";
            }
            if (volume < 0m)
            {
                return "the volume must not be negative";
            }
            if (high < Math.Max(open, close) || low > Math.Min(open, close))
            {
                return $"high {high} and low {low} must bracket open {open} and close {close}";
            }
            candle = new Candle(exchange, symbol, granularity, start, open, high, low, close, volume);
            return null;
        }

        private static bool TryParseTime(string text, out long seconds)
        {
            if (text.Length > 0 && text.All(c => c >= '0' && c <= '9'))
            {
                return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) && seconds <= 253402300799;
            }
            seconds = 0;
            if (!DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return false;
            }
            seconds = CandleTime.ToUnixSeconds(time.UtcDateTime);
            return time.UtcDateTime.Ticks % TimeSpan.TicksPerSecond == 0;
        }

        private static string Unquote(string field)
        {
            var trimmed = field.Trim();
            return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[trimmed.Length - 1] == '"' ? trimmed.Substring(1, trimmed.Length - 2) : trimmed;
        }

        // What the file holds, fit for a message: control characters replaced, length bounded.
        private static string Printable(string text)
        {
            var chars = text.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray();
            return new string(chars) + (text.Length > 40 ? "..." : string.Empty);
        }

        private static CtException Invalid(string source, string message) =>
            new CtException(ErrorIds.InvalidCandleFile, CtErrorKind.InvalidData,
                $"The candle file '{source}' was not imported: {message} Fix the file and import it again.", source);
    }
}
