using System;

namespace CryptoTrader.Core.Trading
{
    /// <summary>Why the permission gate refused a request (internal: it becomes TRADE_REJECTED and a PermissionDenied error).</summary>
    internal sealed class GateRejection : Exception
    {
        public GateRejection(string errorId, string message, bool expired = false)
            : base(message)
        {
            ErrorId = errorId;
            Expired = expired;
        }

        public string ErrorId { get; }

        /// <summary>The grant ran out: the credential's open orders are cancelled too.</summary>
        public bool Expired { get; }
    }
}
