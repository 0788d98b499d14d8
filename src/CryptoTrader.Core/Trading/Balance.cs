namespace CryptoTrader
{
    /// <summary>A currency balance of one credential's account.</summary>
    public sealed class Balance
    {
        public string Exchange { get; internal set; } = string.Empty;

        /// <summary>The credential name.</summary>
        public string Name { get; internal set; } = string.Empty;

        public string Currency { get; internal set; } = string.Empty;

        public decimal Available { get; internal set; }

        /// <summary>Reserved by open orders.</summary>
        public decimal Hold { get; internal set; }
    }
}
