namespace CryptoTrader.Core.Permissions
{
    /// <summary>A checked grant: its state, the grant (when one is stored) and why.</summary>
    internal sealed class GrantVerdict
    {
        public GrantVerdict(GrantState state, TradingGrant? grant, string reason, bool expiryRecorded = false)
        {
            State = state;
            Grant = grant;
            Reason = reason;
            ExpiryRecorded = expiryRecorded;
        }

        /// <summary>For an expired grant: whether the log already says so (a PERMISSION_CHANGED "expired" record).</summary>
        public bool ExpiryRecorded { get; }

        public GrantState State { get; }

        public TradingGrant? Grant { get; }

        public string Reason { get; }
    }
}
