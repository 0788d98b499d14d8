using System.Collections.Generic;
using CryptoTrader.Core.KeyStores;

namespace CryptoTrader.Core.Security
{
    /// <summary>
    /// CRYPTOTRADER_MASTER_KEY in the environment. In a non-interactive session (runbook, job, CI) the key sits in a
    /// job definition or pipeline variable and in every child process: High. At a console it is Medium.
    /// </summary>
    public sealed class MasterKeyVariableCheck : ISecurityCheck
    {
        public const string CheckName = "MasterKeyVariable";

        public string Name => CheckName;

        public IEnumerable<SecurityFinding> Run(SecurityContext context)
        {
            const string variable = EnvironmentKeyStore.VariableName;
            if (!context.MasterKeyVariableSet)
            {
                yield return new SecurityFinding(SecuritySeverity.Info, Name, variable, $"{variable} is not set in this session.", string.Empty);
                yield break;
            }
            var remedy = $"Remove {variable} from the session and from whatever sets it (profile, job definition, CI variables); " +
                "keep the key ring in a vault, the OS keyring or the key file (Set-CtConfig -KeyStore).";
            if (context.Interactive)
            {
                yield return new SecurityFinding(SecuritySeverity.Medium, Name, variable,
                    $"{variable} holds a master key in this session's environment: every process started from here inherits it.", remedy);
                yield break;
            }
            yield return new SecurityFinding(SecuritySeverity.High, Name, variable,
                $"{variable} holds a master key in a non-interactive session: the key is stored wherever the job or pipeline defines it, and every child process inherits it.",
                remedy);
        }
    }
}
