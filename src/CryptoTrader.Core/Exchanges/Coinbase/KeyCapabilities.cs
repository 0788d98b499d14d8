namespace CryptoTrader.Core.Exchanges
{
    /// <summary>What an exchange says a key may do (Coinbase: GET key_permissions), asked when the key is stored.</summary>
    public sealed class KeyCapabilities
    {
        public KeyCapabilities(bool canView, bool canTrade, bool canTransfer)
        {
            CanView = canView;
            CanTrade = canTrade;
            CanTransfer = canTransfer;
        }

        public bool CanView { get; }

        public bool CanTrade { get; }

        /// <summary>The key can move funds out of the account: more than trading needs.</summary>
        public bool CanTransfer { get; }

        public string TransferWarning(string exchange, string name) =>
            $"The {exchange} key '{name}' CAN TRANSFER FUNDS out of the account (key_permissions can_transfer = true). " +
            "Trading never needs that: create a key with only the view and trade scopes at the exchange, store it with Set-CtApiKey and delete this one.";
    }
}
