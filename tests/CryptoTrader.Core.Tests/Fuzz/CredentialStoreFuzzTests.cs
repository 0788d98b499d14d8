using System;
using System.Linq;
using System.Security.Cryptography;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Configuration;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Exchanges;
using CryptoTrader.Core.Exchanges.Coinbase;
using CryptoTrader.Core.Tests.Audit;
using CsCheck;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>
    /// Storing a credential from hostile exchange names, credential names, API keys and secrets, the way Set-CtApiKey does
    /// (normalize the names, then ApiKeyService.Set): a failure is a CtException with a documented ErrorId and leaves every
    /// table as it was; a success adds exactly one API_KEY_CHANGED record and stores what decrypts back to the input.
    /// Coinbase's base URL points at a closed local port, so nothing leaves the machine; a secret that would pass Coinbase's
    /// key checks is not tried there (the request that follows retries with backoff for seconds, and is the Coinbase suites' subject).
    /// </summary>
    [Trait("Category", FuzzRun.Category)]
    public sealed class CredentialStoreFuzzTests : IDisposable
    {
        private static readonly string[] DocumentedErrors =
        {
            ErrorIds.UnknownExchange, ErrorIds.InvalidCredentialName, ErrorIds.InvalidApiKey, ErrorIds.InvalidApiSecret,
            ErrorIds.ExchangeRequestFailed, ErrorIds.ExchangeAuthenticationFailed,
        };

        private static readonly string ValidPem = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportECPrivateKeyPem();

        private static readonly Gen<(string Exchange, string Name, string ApiKey, string Secret)> Inputs = Gen.Select(
            Gen.Frequency((2, Gen.OneOf("paper", "coinbase", " Paper ", "COINBASE")), (1, HostileStrings.Any)),
            Gen.Frequency((2, Gen.OneOf("default", "bot-1", "Bot.2")), (1, HostileStrings.Any)),
            Gen.Frequency((2, Gen.OneOf("api-key", "organizations/x/apiKeys/y")), (1, HostileStrings.Any)),
            Gen.Frequency((2, Gen.OneOf("secret", ValidPem)), (1, HostileStrings.Any), (1, Gen.Const(ValidPem).SelectMany(Mutations.OfText))),
            (exchange, name, apiKey, secret) => (exchange, name, apiKey, secret));

        private readonly AuditTestFolder folder = new AuditTestFolder();
        private readonly SqliteConnection raw;

        public CredentialStoreFuzzTests()
        {
            new SettingsStore(folder.Database).Set(new System.Collections.Generic.Dictionary<string, string?> { [SettingNames.CoinbaseBaseUrl] = "https://127.0.0.1:1" });
            new ApiKeyService(folder.Database).Set(folder.Log, folder.Ring, ExchangeCatalog.Paper, "existing", "existing-key", "existing-secret".ToCharArray());
            raw = folder.OpenRaw();
        }

        // One database: the cases run on one thread.
        [Fact]
        public void StoringHostileInputEitherStoresItExactlyOrChangesNothing() =>
            FuzzRun.Check(Inputs, input =>
            {
                if (ReachesTheNetwork(input.Exchange, input.Secret))
                {
                    return;
                }
                var before = StoredData.Snapshot(raw);
                var recordsBefore = folder.RawCount();
                string exchange = string.Empty, name = string.Empty;
                var error = Allowed.CtFailure(() =>
                {
                    exchange = ExchangeCatalog.Normalize(input.Exchange);
                    name = CredentialName.Normalize(input.Name);
                    new ApiKeyService(folder.Database).Set(folder.Log, folder.Ring, exchange, name, input.ApiKey, input.Secret.ToCharArray());
                }, DocumentedErrors);
                if (error != null)
                {
                    Assert.Equal(before, StoredData.Snapshot(raw));
                    return;
                }
                var added = folder.ReadAll().Skip((int)recordsBefore).ToList();
                Assert.Equal(new[] { AuditEventType.ApiKeyChanged }, added.Select(r => r.EventType));
                using var stored = new ApiKeyService(folder.Database).Reveal(folder.Log, folder.Ring, exchange, name);
                Assert.Equal(input.ApiKey, stored.ApiKey);
                Assert.Equal(input.Secret, new string(stored.Secret));
            }, ciDefault: 400, threads: 1);

        private static bool ReachesTheNetwork(string exchange, string secret)
        {
            try
            {
                CoinbaseKey.Validate(secret.ToCharArray());
                return ExchangeCatalog.Normalize(exchange) == ExchangeCatalog.Coinbase;
            }
            catch (CtException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            raw.Dispose();
            folder.Dispose();
        }
    }
}
