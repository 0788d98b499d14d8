using System;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.Trading
{
    /// <summary>The exchange refused or failed a request (insufficient funds, unknown product, ...): a TRADE_FAILED, not a crash.</summary>
    public sealed class ExchangeException : Exception
    {
        public ExchangeException(string errorId, string reason, Exception? inner = null)
            : this(errorId, CtErrorKind.InvalidOperation, reason, inner)
        {
        }

        public ExchangeException(string errorId, CtErrorKind kind, string reason, Exception? inner = null)
            : base(reason, inner)
        {
            ErrorId = errorId;
            Kind = kind;
        }

        public string ErrorId { get; }

        /// <summary>AuthenticationError for a refused key, PermissionDenied for a missing scope, else InvalidOperation.</summary>
        public CtErrorKind Kind { get; }
    }
}
