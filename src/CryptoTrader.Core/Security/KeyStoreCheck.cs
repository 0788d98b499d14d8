using System.Collections.Generic;
using CryptoTrader.Core.KeyStores;

namespace CryptoTrader.Core.Security
{
    /// <summary>Which store holds the master key ring; the environment variable is for development only.</summary>
    public sealed class KeyStoreCheck : ISecurityCheck
    {
        public const string CheckName = "KeyStore";

        public string Name => CheckName;

        public IEnumerable<SecurityFinding> Run(SecurityContext context)
        {
            var choice = context.KeyStore;
            if (choice.Kind == KeyStoreKind.Environment)
            {
                yield return new SecurityFinding(SecuritySeverity.Medium, Name, EnvironmentKeyStore.VariableName,
                    $"The master key ring comes from the environment variable {EnvironmentKeyStore.VariableName} ({choice.Reason}): development only. " +
                    "Anyone who can read this process's environment, or the job definition that sets it, has every key.",
                    "Keep real keys in a SecretManagement vault, the OS keyring or the encrypted key file: Set-CtConfig -KeyStore SecretManagement|Keyring|File " +
                    "(run it while the variable is still set, so the key ring moves), then remove the variable.");
                yield break;
            }
            yield return new SecurityFinding(SecuritySeverity.Info, Name, context.KeyStoreLocation,
                $"The master key ring is kept in the {choice.Kind} store ({choice.Reason}).", string.Empty);
        }
    }
}
