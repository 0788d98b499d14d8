using System.Collections.Generic;
using System.Text;
using CryptoTrader.Core.KeyStores.Keyring;

namespace CryptoTrader.PowerShell.KeyStores
{
    /// <summary>
    /// The engine side of the CryptoTrader.Keyring SecretManagement extension vault (module folder
    /// CryptoTrader.Keyring): one OS keyring item per secret, named by the attributes
    /// application=CryptoTrader.Keyring, vault=&lt;vault name&gt;, name=&lt;secret name&gt;, plus one index item per vault
    /// (index=names) listing the names and types for Get-SecretInfo. The payloads are the extension's JSON;
    /// this class only moves UTF-8 text in and out of the keyring, never logs it. Public for the extension's
    /// runspace, which imports the module itself; not a cmdlet, not part of CryptoTrader's interface.
    /// </summary>
    public static class KeyringVault
    {
        public const string Application = "CryptoTrader.Keyring";

        private static IKeyringBackend Backend => KeyringBackends.ForCurrentPlatform();

        /// <summary>Null when the OS keyring can be used now; otherwise why not.</summary>
        public static string? Problem()
        {
            var probe = Backend.Probe();
            return probe.Usable ? null : probe.Reason;
        }

        public static string? Read(string vault, string name) => Decode(Backend.Read(SecretKey(vault, name)));

        public static void Write(string vault, string name, string payload) =>
            Backend.Write(SecretKey(vault, name), $"{name} (SecretManagement vault {vault})", Encoding.UTF8.GetBytes(payload));

        public static bool Delete(string vault, string name) => Backend.Delete(SecretKey(vault, name));

        public static string? ReadIndex(string vault) => Decode(Backend.Read(IndexKey(vault)));

        public static void WriteIndex(string vault, string payload) =>
            Backend.Write(IndexKey(vault), $"Index of SecretManagement vault {vault}", Encoding.UTF8.GetBytes(payload));

        private static string? Decode(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

        private static KeyringItemKey SecretKey(string vault, string name) => new KeyringItemKey(new Dictionary<string, string>
        {
            [KeyringItemKey.ApplicationAttribute] = Application,
            ["vault"] = vault,
            ["name"] = name,
        });

        private static KeyringItemKey IndexKey(string vault) => new KeyringItemKey(new Dictionary<string, string>
        {
            [KeyringItemKey.ApplicationAttribute] = Application,
            ["vault"] = vault,
            ["index"] = "names",
        });
    }
}
