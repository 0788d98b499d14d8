using System;
using System.Text;

namespace CryptoTrader.Core.Storage
{
    /// <summary>
    /// Turns UTF-8 column values into strings, reusing the last string while the value repeats: a bulk read of a
    /// column that holds a few distinct values (an exchange, a key id) then makes a few strings, not one per row.
    /// </summary>
    internal sealed class RepeatedText
    {
        private byte[] lastBytes = Array.Empty<byte>();
        private string last = string.Empty;

        public string Of(ReadOnlySpan<byte> utf8)
        {
            if (!utf8.SequenceEqual(lastBytes))
            {
                lastBytes = utf8.ToArray();
                last = Encoding.UTF8.GetString(lastBytes);
            }
            return last;
        }
    }
}
