using System;
using System.Collections.Generic;
using System.Linq;

namespace CryptoTrader.Core.KeyStores.Keyring
{
    /// <summary>
    /// One item in the operating system's keyring: the Secret Service (Linux), the Keychain (macOS) or the
    /// Credential Manager (Windows). Implementations never prompt: a keyring that needs the user to unlock it
    /// is a <c>KeyringLocked</c> error. Every failure is a <see cref="Errors.CtException"/> with a specific ErrorId.
    /// </summary>
    public interface IKeyringBackend
    {
        /// <summary>For people: "Secret Service", "macOS Keychain", "Windows Credential Manager".</summary>
        string Name { get; }

        /// <summary>A cheap check with a short timeout: can items be read and written now, without a prompt?</summary>
        KeyringProbe Probe();

        /// <summary>The item's secret, or null when there is no such item.</summary>
        byte[]? Read(KeyringItemKey key);

        /// <summary>Creates the item, or replaces its secret in place when it exists.</summary>
        void Write(KeyringItemKey key, string label, byte[] secret);

        /// <summary>Deletes the item; false when there was none.</summary>
        bool Delete(KeyringItemKey key);
    }

    /// <summary>The result of <see cref="IKeyringBackend.Probe"/>.</summary>
    public sealed class KeyringProbe
    {
        public KeyringProbe(bool usable, string reason)
        {
            Usable = usable;
            Reason = reason;
        }

        public bool Usable { get; }

        /// <summary>Why (not) usable, for Get-CtConfig's KeyStoreReason.</summary>
        public string Reason { get; }
    }

    /// <summary>
    /// Names a keyring item by attributes (the Secret Service's model). The Keychain and the Credential Manager
    /// have one name per item: <see cref="Service"/> (the application attribute) and <see cref="Account"/> (the rest).
    /// </summary>
    public sealed class KeyringItemKey
    {
        public const string ApplicationAttribute = "application";

        public KeyringItemKey(IDictionary<string, string> attributes)
        {
            if (attributes is null || !attributes.ContainsKey(ApplicationAttribute))
            {
                throw new ArgumentException("A keyring item key needs the 'application' attribute.", nameof(attributes));
            }
            Attributes = new SortedDictionary<string, string>(attributes, StringComparer.Ordinal);
        }

        public IReadOnlyDictionary<string, string> Attributes { get; }

        public string Service => Attributes[ApplicationAttribute];

        public string Account => string.Join(";", Attributes.Where(a => a.Key != ApplicationAttribute).Select(a => a.Key + "=" + a.Value));

        /// <summary>One string naming the item (the Windows credential target name).</summary>
        public string TargetName => Service + ":" + Account;

        public override string ToString() => string.Join(", ", Attributes.Select(a => a.Key + "=" + a.Value));
    }
}
