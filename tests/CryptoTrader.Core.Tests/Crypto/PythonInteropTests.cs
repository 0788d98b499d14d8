using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CryptoTrader.Core.Crypto;
using Xunit;

namespace CryptoTrader.Core.Tests.Crypto
{
    /// <summary>Runs each direction once, for all payload sizes, in a single Python process.</summary>
    public sealed class PythonInteropFixture
    {
        public static readonly int[] Sizes = { 0, 1, 15, 16, 17, 255, 4096, FernetTokenWriter.StepLength, FernetTokenWriter.StepLength + 1, 65537, 1048576 };

        private readonly Lazy<IReadOnlyList<byte[]>> decryptedByPython;
        private readonly Lazy<IReadOnlyList<byte[]>> decryptedByCSharp;

        public PythonInteropFixture()
        {
            Key = FernetKey.Generate();
            Payloads = Sizes.Select(SecureRandom.Bytes).ToArray();

            decryptedByPython = new Lazy<IReadOnlyList<byte[]>>(() =>
            {
                byte[][] tokens = Payloads.Select(p => Encoding.ASCII.GetBytes(Fernet.Encrypt(Key, p))).ToArray();
                return PythonFernet.DecryptAll(Key.ToBase64Url(), tokens);
            });

            decryptedByCSharp = new Lazy<IReadOnlyList<byte[]>>(() =>
            {
                IReadOnlyList<byte[]> tokens = PythonFernet.EncryptAll(Key.ToBase64Url(), Payloads);
                return tokens.Select(t => Fernet.Decrypt(Key, Encoding.ASCII.GetString(t))).ToArray();
            });
        }

        public FernetKey Key { get; }

        public IReadOnlyList<byte[]> Payloads { get; }

        public IReadOnlyList<byte[]> DecryptedByPython => decryptedByPython.Value;

        public IReadOnlyList<byte[]> DecryptedByCSharp => decryptedByCSharp.Value;
    }

    public class PythonInteropTests : IClassFixture<PythonInteropFixture>
    {
        private readonly PythonInteropFixture fixture;

        public PythonInteropTests(PythonInteropFixture fixture)
        {
            this.fixture = fixture;
        }

        public static IEnumerable<object[]> Sizes() => PythonInteropFixture.Sizes.Select(size => new object[] { size });

        [Theory]
        [MemberData(nameof(Sizes))]
        public void CSharpEncrypts_PythonDecrypts(int size)
        {
            int index = Array.IndexOf(PythonInteropFixture.Sizes, size);

            byte[] decrypted = fixture.DecryptedByPython[index];

            Assert.Equal(size, decrypted.Length);
            Assert.True(fixture.Payloads[index].AsSpan().SequenceEqual(decrypted), "Python decrypted different bytes");
        }

        [Theory]
        [MemberData(nameof(Sizes))]
        public void PythonEncrypts_CSharpDecrypts(int size)
        {
            int index = Array.IndexOf(PythonInteropFixture.Sizes, size);

            byte[] decrypted = fixture.DecryptedByCSharp[index];

            Assert.Equal(size, decrypted.Length);
            Assert.True(fixture.Payloads[index].AsSpan().SequenceEqual(decrypted), "C# decrypted different bytes");
        }
    }
}
