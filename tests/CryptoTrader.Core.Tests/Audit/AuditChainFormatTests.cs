using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Audit
{
    /// <summary>
    /// The MAC input format is fixed: databases written by earlier versions must keep verifying.
    /// The expected values were computed by the original MemoryStream-based AuditChain.
    /// </summary>
    public class AuditChainFormatTests
    {
        private const string Key = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";

        [Fact]
        public void RecordMac_IsStable()
        {
            var chain = new AuditChain(KeyRing.FromFernetKeys(new[] { Key }));
            var keyId = chain.SigningKeyId;

            var mac = chain.Mac(42, "2025-01-02T03:04:05Z", "order.placed", "ünïcode@host", "{\"exchange\":\"kraken\",\"note\":\"€ 😀\"}", keyId, new string('a', 64));

            Assert.Equal("6c9bc47e81091f1cc01cbb00da89d7fd5a532c84d67a36e6a38fcbc6c177baf5", mac);
        }

        [Fact]
        public void HeadMac_IsStable()
        {
            var chain = new AuditChain(KeyRing.FromFernetKeys(new[] { Key }));

            Assert.Equal("2f37682106b8de7cdc74f4be5ef25c2ab75709cddcb1fc178cf061c74d7b6c37", chain.HeadMac(7, new string('b', 64), chain.SigningKeyId));
        }
    }
}
