namespace CryptoTrader.Core.KeyStores.Keyring
{
    /// <summary>
    /// Single generic credentials by target name: the Windows Credential Manager calls (CredReadW / CredWriteW /
    /// CredDeleteW), behind an interface so the multi-part generation logic can be tested off Windows with a fake.
    /// Each call is atomic on its own; nothing spans several credentials.
    /// </summary>
    internal interface ICredentialApi
    {
        /// <summary>The blob of the credential, or null when there is none.</summary>
        byte[]? Read(string target);

        /// <summary>Creates or replaces the credential.</summary>
        void Write(string target, string label, byte[] blob);

        /// <summary>False when there was no such credential.</summary>
        bool Delete(string target);
    }
}
