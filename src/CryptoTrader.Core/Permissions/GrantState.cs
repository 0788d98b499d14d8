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
}
