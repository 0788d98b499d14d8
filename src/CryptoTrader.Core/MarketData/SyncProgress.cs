namespace CryptoTrader.Core.MarketData
{
    /// <summary>How far a sync of one symbol has come: pages fetched and stored, of those it planned.</summary>
    public sealed class SyncProgress
    {
        public SyncProgress(string symbol, int pagesDone, int pagesTotal, int candlesReceived)
        {
            Symbol = symbol;
            PagesDone = pagesDone;
            PagesTotal = pagesTotal;
            CandlesReceived = candlesReceived;
        }

        public string Symbol { get; }

        public int PagesDone { get; }

        public int PagesTotal { get; }

        public int CandlesReceived { get; }
    }
}
