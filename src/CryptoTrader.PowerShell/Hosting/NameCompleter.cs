using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>Tab completion from a fixed list of names: those that start with what was typed, quotes ignored.</summary>
    public abstract class NameCompleter : IArgumentCompleter
    {
        protected abstract IEnumerable<string> Names { get; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Names
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
        }
    }
}
