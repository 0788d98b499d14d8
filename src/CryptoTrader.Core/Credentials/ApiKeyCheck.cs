namespace CryptoTrader
{
    /// <summary>Test-CtApiKey's verdict on one stored credential: does it still decrypt and pass its integrity check?</summary>
    public sealed class ApiKeyCheck
    {
        public string Exchange { get; internal set; } = string.Empty;

        public string Name { get; internal set; } = string.Empty;

        public string Fingerprint { get; internal set; } = string.Empty;

        public string EncryptionKeyId { get; internal set; } = string.Empty;

        public bool IsValid { get; internal set; }

        public string Reason { get; internal set; } = string.Empty;
    }
}
