using System;

namespace CryptoTrader
{
    /// <summary>A stored credential as Get-CtApiKey shows it: never the secret, only a keyed fingerprint.</summary>
    public sealed class ApiKeyInfo
    {
        public string Exchange { get; internal set; } = string.Empty;

        public string Name { get; internal set; } = string.Empty;

        /// <summary>A keyed hash of the key and secret: equal fingerprints mean the same credential, and reveal nothing else.</summary>
        public string Fingerprint { get; internal set; } = string.Empty;

        /// <summary>ReadOnly or TradingEnabled.</summary>
        public string Permission { get; set; } = "ReadOnly";

        public DateTime Created { get; internal set; }

        public DateTime Updated { get; internal set; }

        /// <summary>Whole days since the key material was last set.</summary>
        public int AgeDays { get; internal set; }

        /// <summary>What the exchange said when the key was stored (Coinbase key_permissions); null when not asked (paper).</summary>
        public bool? CanView { get; internal set; }

        /// <summary>False: the exchange refuses orders with this key, so trading cannot be granted.</summary>
        public bool? CanTrade { get; internal set; }

        /// <summary>True: the key can move funds out of the account (more than trading needs).</summary>
        public bool? CanTransfer { get; internal set; }

        /// <summary>The key ring entry that encrypted it.</summary>
        public string EncryptionKeyId { get; internal set; } = string.Empty;

        public override string ToString() => $"{Exchange}/{Name} {Fingerprint}";
    }
}
