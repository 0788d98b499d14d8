namespace CryptoTrader.Core.Trading
{
    public enum OrderSide
    {
        Buy,
        Sell,
    }
}
