namespace CryptoTrader.Core.Permissions
{
    /// <summary>A checked grant: its state, the grant (when one is stored) and why.</summary>
    internal sealed class GrantVerdict
    {
        public GrantVerdict(GrantState state, TradingGrant? grant, string reason)
        {
            State = state;
            Grant = grant;
            Reason = reason;
        }

        public GrantState State { get; }

        public TradingGrant? Grant { get; }

        public string Reason { get; }
    }
}
