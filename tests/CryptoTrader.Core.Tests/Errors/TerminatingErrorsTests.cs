using System.Linq;
using System.Reflection;
using CryptoTrader.Core.Errors;
using Xunit;

namespace CryptoTrader.Core.Tests.Errors
{
    public class TerminatingErrorsTests
    {
        [Theory]
        [InlineData(ErrorIds.KeyStoreLocked)]
        [InlineData(ErrorIds.KeyRingMissing)]
        [InlineData(ErrorIds.KeyStoreUnavailable)]
        [InlineData(ErrorIds.DatabaseUnavailable)]
        [InlineData(ErrorIds.DatabaseCorrupt)]
        [InlineData(ErrorIds.DataFolderUnavailable)]
        [InlineData(ErrorIds.DataFolderInsecure)]
        [InlineData(ErrorIds.AuditWriteFailed)]
        [InlineData(ErrorIds.AuditLogTampered)]
        [InlineData(ErrorIds.AuditLogRolledBack)]
        [InlineData(ErrorIds.KeyringLocked)]
        [InlineData(ErrorIds.SecurityCheckFailed)]
        public void FailuresEveryLaterInputWouldMeet_EndTheCommand(string errorId) => Assert.True(TerminatingErrors.Includes(errorId));

        [Theory]
        [InlineData(ErrorIds.TradingNotEnabled)]
        [InlineData(ErrorIds.OrderValueOverLimit)]
        [InlineData(ErrorIds.TradeFailed)]
        [InlineData(ErrorIds.CredentialNotFound)]
        [InlineData(ErrorIds.CredentialIntegrityFailed)]
        [InlineData(ErrorIds.InvalidOrder)]
        [InlineData(ErrorIds.UnknownExchange)]
        [InlineData(ErrorIds.ExchangeRequestFailed)]
        [InlineData(ErrorIds.WrongPassphrase)]
        [InlineData(ErrorIds.InvalidSetting)]
        public void FailuresOfOneInput_DoNot(string errorId) => Assert.False(TerminatingErrors.Includes(errorId));

        [Fact]
        public void EveryTerminatingErrorId_IsInTheCatalog()
        {
            var catalog = typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
            var included = catalog.Where(TerminatingErrors.Includes).ToList();

            Assert.Equal(28, included.Count);
            Assert.False(TerminatingErrors.Includes("NoSuchErrorId"));
        }
    }
}
