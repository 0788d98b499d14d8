namespace CryptoTrader.Core.KeyStores
{
    /// <summary>Where the master key ring lives. <see cref="Auto"/> lets the module choose.</summary>
    public enum KeyStoreKind
    {
        Auto,
        SecretManagement,
        File,
        Environment,
        Keyring,
    }
}
