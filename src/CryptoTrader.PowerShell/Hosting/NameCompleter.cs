using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>
    /// Tab completion from a list of names: those that start with what was typed (quotes ignored), quoted when they
    /// hold characters PowerShell would split on.
    /// </summary>
    public abstract class NameCompleter : IArgumentCompleter
    {
        /// <summary>The candidates, given the parameters bound so far on the command line.</summary>
        protected abstract IEnumerable<string> Names(IDictionary fakeBoundParameters);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Names(fakeBoundParameters ?? new Hashtable())
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(Quoted(n), n, CompletionResultType.ParameterValue, n))
                .ToList();
        }

        /// <summary>The values already bound to a parameter (one or several), as text.</summary>
        protected static IReadOnlyList<string> BoundValues(IDictionary fakeBoundParameters, string parameter)
        {
            var value = fakeBoundParameters.Contains(parameter) ? fakeBoundParameters[parameter] : null;
            value = value is PSObject wrapped ? wrapped.BaseObject : value;
            return value switch
            {
                null => Array.Empty<string>(),
                string text => new[] { text },
                IEnumerable many => many.Cast<object?>().Where(v => v != null).Select(v => v!.ToString()!).ToList(),
                _ => new[] { value.ToString()! },
            };
        }

        private static string Quoted(string name) =>
            name.Any(c => char.IsWhiteSpace(c) || "'\"`$,;(){}[]@#|&<>".IndexOf(c) >= 0) ? "'" + name.Replace("'", "''") + "'" : name;
    }
}
