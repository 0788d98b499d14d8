using System;
using System.Management.Automation;
using System.Security;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Stores (adds or replaces) an exchange API key, encrypted under the primary key; new credentials are read-only.</summary>
    [Cmdlet(VerbsCommon.Set, "CtApiKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = KeyAndSecretSet)]
    [OutputType(typeof(AuditRecord))]
    public sealed class SetCtApiKeyCommand : CtCmdlet
    {
        private const string KeyAndSecretSet = "ApiKey";
        private const string CredentialSet = "Credential";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ExchangeCompleter))]
        public string Exchange { get; set; } = string.Empty;

        /// <summary>The credential name; empty or omitted: "default".</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CredentialNameCompleter))]
        [EmptyAsNotGiven]
        public string? Name { get; set; } = CredentialName.Default;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = KeyAndSecretSet, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string ApiKey { get; set; } = string.Empty;

        /// <summary>The secret; prompted for when omitted in an interactive session.</summary>
        [Parameter(Position = 2, ParameterSetName = KeyAndSecretSet, ValueFromPipelineByPropertyName = true)]
        public SecureString? ApiSecret { get; set; }

        /// <summary>User name = API key, password = secret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
        [Credential]
        public PSCredential? Credential { get; set; }

        internal override void Process(CtSession session)
        {
            var exchange = SingleCredential.Exchange(Exchange);
            var name = SingleCredential.Name(Name);
            var apiKey = Credential?.UserName ?? ApiKey;
            ApiKeyValidation.RequireValidApiKey(apiKey);
            var secret = Reveal(Credential?.Password ?? ApiSecret ?? PromptForSecret(exchange));
            try
            {
                ApiKeyValidation.RequireValidSecret(secret);
                if (!ShouldProcess($"{exchange}/{name}", "Store the API key, encrypted"))
                {
                    return;
                }
                var ring = RequireKeyRing(session);
                var record = new ApiKeyService(session.Database).Set(OpenAuditLog(session, ring), ring, exchange, name, apiKey, secret, out var capabilities);
                if (capabilities is { CanTransfer: true })
                {
                    WriteWarning(capabilities.TransferWarning(exchange, name));
                }
                if (capabilities is { CanTrade: false })
                {
                    WriteVerbose($"The {exchange} key '{name}' cannot trade (key_permissions can_trade = false): it stays ReadOnly and Grant-CtTrading refuses it.");
                }
                WriteObject(record);
            }
            finally
            {
                Array.Clear(secret, 0, secret.Length);
            }
        }

        private SecureString PromptForSecret(string exchange)
        {
            if (!IsInteractive)
            {
                throw new CtException(ErrorIds.ApiSecretRequired, CtErrorKind.InvalidArgument,
                    "No API secret was given and this session is not interactive: pass -ApiSecret (a SecureString) or -Credential.", "ApiSecret");
            }
            Host.UI.Write($"API secret for {exchange} (input hidden): ");
            return Host.UI.ReadLineAsSecureString();
        }
    }
}
