namespace CryptoTrader.Core.Permissions
{
    /// <summary>The outcome of checking a credential's stored grant.</summary>
    internal enum GrantState
    {
        None,
        Valid,
        Expired,
        IntegrityFailed,
    }

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
