using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Trading;
using Xunit;

namespace CryptoTrader.Core.Tests.Trading
{
    /// <summary>GetCandles is a read at the permission gate: a stored credential that decrypts, no grant.</summary>
    public sealed class CandleReadGateTests
    {
        [Fact]
        public void ACredentialWithoutGrantMayReadCandles()
        {
            using var t = new TradingTestFolder();
            var recordsBefore = t.Folder.ReadAll().Count;

            using var credential = new PermissionGate(t.Database, t.Log, t.Ring).AuthorizeRead(ExchangeOperation.GetCandles, TradingTestFolder.Paper, TradingTestFolder.Name);

            Assert.False(ExchangeOperation.GetCandles.IsTrade());
            Assert.Equal("api-key-default", credential.ApiKey);
            Assert.Equal(recordsBefore, t.Folder.ReadAll().Count);
        }

        [Fact]
        public void ReadingCandlesStillNeedsAStoredCredential()
        {
            using var t = new TradingTestFolder();

            var error = Assert.Throws<CtException>(() => new PermissionGate(t.Database, t.Log, t.Ring).AuthorizeRead(ExchangeOperation.GetCandles, TradingTestFolder.Paper, "nobody"));

            Assert.Equal(ErrorIds.CredentialNotFound, error.ErrorId);
            Assert.DoesNotContain(t.Folder.ReadAll(), r => r.EventType == AuditEventType.TradeRejected);
        }
    }
}
