using System;

namespace CryptoTrader.Core.Trading
{
    /// <summary>Why the permission gate refused a request (internal: it becomes TRADE_REJECTED and a PermissionDenied error).</summary>
    internal sealed class GateRejection : Exception
    {
        public GateRejection(string errorId, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
        }

        public string ErrorId { get; }
    }
}
