using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;

namespace CryptoTrader
{
    /// <summary>
    /// The details of an audit record: read-only named values in their stored order. A dictionary, so that
    /// <c>$record.Details.exchange</c> and ConvertTo-Json see the values; its text (Export-Csv, views) is "key=value; key=value".
    /// </summary>
    public sealed class AuditRecordDetails : IDictionary
    {
        private const string ReadOnlyMessage = "Audit records cannot be changed.";
        private readonly OrderedDictionary values;

        internal AuditRecordDetails(OrderedDictionary values)
        {
            this.values = values.IsReadOnly ? values : values.AsReadOnly();
        }

        public int Count => values.Count;

        public ICollection Keys => values.Keys;

        public ICollection Values => values.Values;

        public bool IsReadOnly => true;

        public bool IsFixedSize => true;

        bool ICollection.IsSynchronized => false;

        object ICollection.SyncRoot => values;

        public object? this[string name] => values[name];

        object? IDictionary.this[object key]
        {
            get => values[key];
            set => throw new NotSupportedException(ReadOnlyMessage);
        }

        public bool Contains(object key) => values.Contains(key);

        public IDictionaryEnumerator GetEnumerator() => values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => values.GetEnumerator();

        void IDictionary.Add(object key, object? value) => throw new NotSupportedException(ReadOnlyMessage);

        void IDictionary.Clear() => throw new NotSupportedException(ReadOnlyMessage);

        void IDictionary.Remove(object key) => throw new NotSupportedException(ReadOnlyMessage);

        void ICollection.CopyTo(Array array, int index) => ((ICollection)values).CopyTo(array, index);

        /// <summary>
        /// "key=value; key=value" in stored order; numbers in invariant culture, null as nothing; a control or invisible
        /// character as \uXXXX, so a view never prints one raw.
        /// </summary>
        public override string ToString() => string.Join("; ", Pairs());

        /// <summary>One "key=value" a line, as the list view shows it (control characters escaped as in <see cref="ToString"/>).</summary>
        public string ToListText() => string.Join("\n", Pairs());

        private IEnumerable<string> Pairs() =>
            values.Cast<DictionaryEntry>().Select(entry => CryptoTrader.Core.Validation.UserText.Visible(entry.Key + "=" + Text(entry.Value)));

        private static string Text(object? value) => value switch
        {
            null => string.Empty,
            bool flag => flag ? "true" : "false",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
    }
}
