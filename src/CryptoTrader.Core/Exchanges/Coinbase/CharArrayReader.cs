using System;
using System.IO;

namespace CryptoTrader.Core.Exchanges.Coinbase
{
    /// <summary>A TextReader over the first characters of a char array, so a secret can be parsed without making it a string first.</summary>
    internal sealed class CharArrayReader : TextReader
    {
        private readonly char[] text;
        private readonly int length;
        private int position;

        public CharArrayReader(char[] text, int length)
        {
            this.text = text;
            this.length = length;
        }

        public override int Peek() => position < length ? text[position] : -1;

        public override int Read() => position < length ? text[position++] : -1;

        public override int Read(char[] buffer, int index, int count)
        {
            var copied = Math.Min(count, length - position);
            Array.Copy(text, position, buffer, index, copied);
            position += copied;
            return copied;
        }
    }
}
