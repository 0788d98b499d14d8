using System;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>
    /// Decrypted key material, held only while an exchange request is signed. <see cref="Dispose"/> clears the
    /// secret; <see cref="ToString"/> never shows it.
    /// </summary>
    public sealed class ApiCredential : IDisposable
    {
        public ApiCredential(string exchange, string name, string apiKey, char[] secret)
        {
            Exchange = exchange;
            Name = name;
            ApiKey = apiKey;
            Secret = secret;
        }

        public string Exchange { get; }

        public string Name { get; }

        public string ApiKey { get; }

        public char[] Secret { get; }

        public void Dispose() => Array.Clear(Secret, 0, Secret.Length);

        public override string ToString() => $"ApiCredential({Exchange}/{Name}, secret hidden)";
    }
}
