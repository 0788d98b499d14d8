using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    public class FernetVectorTests
    {
        public static IEnumerable<object[]> GenerateVectors() => FernetVectors.Descriptions("generate");

        public static IEnumerable<object[]> VerifyVectors() => FernetVectors.Descriptions("verify");

        public static IEnumerable<object[]> InvalidVectors() => FernetVectors.Descriptions("invalid");

        [Theory]
        [MemberData(nameof(GenerateVectors))]
        public void Generate_ProducesExactlyTheSpecToken(string description)
        {
            JsonElement vector = FernetVectors.Load("generate")[description];
            FernetKey key = FernetKey.Parse(vector.GetProperty("secret").GetString()!);
            byte[] iv = vector.GetProperty("iv").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray();
            byte[] plaintext = Encoding.UTF8.GetBytes(vector.GetProperty("src").GetString()!);

            string token = Fernet.Encrypt(key, plaintext, FernetVectors.Now(vector), iv);

            Assert.Equal(vector.GetProperty("token").GetString(), token);
        }

        [Theory]
        [MemberData(nameof(VerifyVectors))]
        public void Verify_DecryptsTheSpecToken(string description)
        {
            JsonElement vector = FernetVectors.Load("verify")[description];
            FernetKey key = FernetKey.Parse(vector.GetProperty("secret").GetString()!);
            TimeSpan ttl = TimeSpan.FromSeconds(vector.GetProperty("ttl_sec").GetInt32());

            byte[] plaintext = Fernet.Decrypt(key, vector.GetProperty("token").GetString()!, ttl, FernetVectors.Now(vector));

            Assert.Equal(vector.GetProperty("src").GetString(), Encoding.UTF8.GetString(plaintext));
        }

        [Theory]
        [MemberData(nameof(InvalidVectors))]
        public void Invalid_IsRejected(string description)
        {
            JsonElement vector = FernetVectors.Load("invalid")[description];
            FernetKey key = FernetKey.Parse(vector.GetProperty("secret").GetString()!);
            TimeSpan ttl = TimeSpan.FromSeconds(vector.GetProperty("ttl_sec").GetInt32());
            string secret = vector.GetProperty("secret").GetString()!;

            InvalidFernetTokenException error = Assert.Throws<InvalidFernetTokenException>(
                () => Fernet.Decrypt(key, vector.GetProperty("token").GetString()!, ttl, FernetVectors.Now(vector)));

            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        }
    }
}
