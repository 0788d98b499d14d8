using System;

namespace CryptoTrader.Core.Trading
{
    /// <summary>The exchange refused or failed a request (insufficient funds, unknown product, ...): a TRADE_FAILED, not a crash.</summary>
    public sealed class ExchangeException : Exception
    {
        public ExchangeException(string errorId, string reason, Exception? inner = null)
            : base(reason, inner)
        {
            ErrorId = errorId;
        }

        public string ErrorId { get; }
    }
}
