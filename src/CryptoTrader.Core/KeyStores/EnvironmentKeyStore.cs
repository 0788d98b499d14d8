using System;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.Core.KeyStores
{
    /// <summary>
    /// Development only: the key ring is one or more Fernet keys in <c>CRYPTOTRADER_MASTER_KEY</c>
    /// (first = primary, separated by commas or whitespace). It can be read, never written.
    /// </summary>
    public sealed class EnvironmentKeyStore : IKeyStore
    {
        public const string VariableName = "CRYPTOTRADER_MASTER_KEY";

        public const string DevelopmentOnlyWarning =
            "The master key comes from the environment variable " + VariableName +
            ": this is for development only. Use a SecretManagement vault or the encrypted key file for real keys (Set-CtConfig -KeyStore).";

        public KeyStoreKind Kind => KeyStoreKind.Environment;

        public string Location => "environment variable " + VariableName;

        /// <summary>Changes with the variable's value (as a hash), so setting another key in the session takes effect.</summary>
        public string CacheKey
        {
            get
            {
                var value = Environment.GetEnvironmentVariable(VariableName) ?? string.Empty;
                using var sha = System.Security.Cryptography.SHA256.Create();
                var hash = sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(value));
                return "env:" + VariableName + ":" + BitConverter.ToString(hash, 0, 8).Replace("-", string.Empty);
            }
        }

        public static bool IsSet => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(VariableName));

        public KeyRing? Load()
        {
            var value = Environment.GetEnvironmentVariable(VariableName);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new CtException(ErrorIds.EnvironmentKeyMissing, CtErrorKind.ResourceUnavailable,
                    $"The key store is set to Environment but {VariableName} is not set. Set it to a Fernet key, for example " +
                    "[Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).Replace('+','-').Replace('/','_'), " +
                    "or choose another store with Set-CtConfig -KeyStore.", VariableName);
            }
            try
            {
                return KeyRing.ParseKeyList(value!);
            }
            catch (FormatException e)
            {
                throw new CtException(ErrorIds.EnvironmentKeyInvalid, CtErrorKind.InvalidData,
                    $"{VariableName} does not hold valid Fernet keys ({e.Message}). Each key is 32 bytes in URL-safe base64.", VariableName, e);
            }
        }

        public void Save(KeyRing ring) =>
            throw new CtException(ErrorIds.KeyStoreReadOnly, CtErrorKind.InvalidOperation,
                $"The key ring in {VariableName} cannot be changed by CryptoTrader. Put the new key first in the variable yourself, or use a vault or the key file (Set-CtConfig -KeyStore).",
                VariableName);

        public bool Delete() =>
            throw new CtException(ErrorIds.KeyStoreReadOnly, CtErrorKind.InvalidOperation,
                $"CryptoTrader cannot remove {VariableName} from the environment; remove it yourself (and from where it is set, such as a profile or a CI secret).",
                VariableName);
    }
}
