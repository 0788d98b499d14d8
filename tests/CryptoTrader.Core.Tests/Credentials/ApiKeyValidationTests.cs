using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using Xunit;

namespace CryptoTrader.Core.Tests.Credentials
{
    /// <summary>
    /// Key material that is not valid UTF-16 (a lone surrogate) cannot be stored as it was given: the credential token
    /// holds UTF-8, which turns it into U+FFFD. It is refused instead of silently stored changed (found by fuzzing).
    /// </summary>
    public sealed class ApiKeyValidationTests
    {
        // Built in code: attribute arguments are stored as UTF-8, which would already have replaced the surrogate.
        private static readonly string[] LoneSurrogates = { "key\ud800", "\udc00key", "k\udc00\ud800ey" };

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        public void AnApiKeyWithALoneSurrogateIsRefused(int index)
        {
            var apiKey = LoneSurrogates[index];
            var error = Assert.Throws<CtException>(() => ApiKeyValidation.RequireValidApiKey(apiKey));
            Assert.Equal(ErrorIds.InvalidApiKey, error.ErrorId);
            Assert.DoesNotContain(apiKey, error.Message);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        public void ASecretWithALoneSurrogateIsRefused(int index)
        {
            var secret = "secret-" + LoneSurrogates[index];
            var error = Assert.Throws<CtException>(() => ApiKeyValidation.RequireValidSecret(secret.ToCharArray()));
            Assert.Equal(ErrorIds.InvalidApiSecret, error.ErrorId);
        }

        [Fact]
        public void ASurrogatePairIsValidText()
        {
            ApiKeyValidation.RequireValidApiKey("key-\U0001F511");
            ApiKeyValidation.RequireValidSecret("secret-\U0001F511".ToCharArray());
        }
    }
}
