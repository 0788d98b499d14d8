using System;
#if NET
using System.Security.Cryptography;
#endif

namespace CryptoTrader.Core.Crypto
{
    /// <summary>HKDF-SHA256 (RFC 5869): the platform class on .NET, <see cref="ManagedHkdf"/> on .NET Framework.</summary>
    internal static class Hkdf
    {
        public static byte[] Extract(byte[] ikm, byte[]? salt)
        {
            if (ikm is null)
            {
                throw new ArgumentNullException(nameof(ikm));
            }

#if NET
            return HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
#else
            return ManagedHkdf.Extract(ikm, salt);
#endif
        }

        public static byte[] Expand(byte[] prk, int outputLength, byte[]? info)
        {
            if (prk is null)
            {
                throw new ArgumentNullException(nameof(prk));
            }

#if NET
            return HKDF.Expand(HashAlgorithmName.SHA256, prk, outputLength, info);
#else
            return ManagedHkdf.Expand(prk, outputLength, info);
#endif
        }

        public static byte[] DeriveKey(byte[] ikm, int outputLength, byte[]? salt, byte[]? info)
        {
            if (ikm is null)
            {
                throw new ArgumentNullException(nameof(ikm));
            }

#if NET
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, outputLength, salt, info);
#else
            return ManagedHkdf.DeriveKey(ikm, outputLength, salt, info);
#endif
        }
    }
}
