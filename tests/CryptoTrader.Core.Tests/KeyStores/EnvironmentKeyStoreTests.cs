using System;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Tests.Support;
using Xunit;

namespace CryptoTrader.Core.Tests.KeyStores
{
    [Collection(EnvironmentCollection.Name)]
    public sealed class EnvironmentKeyStoreTests
    {
        private const string Variable = EnvironmentKeyStore.VariableName;

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("  \t ")]
        public void Unset_GivesEnvironmentKeyMissing(string? value)
        {
            using var environment = new EnvironmentScope().Set(Variable, value);

            CtException error = Assert.Throws<CtException>(() => new EnvironmentKeyStore().Load());

            Assert.Equal(ErrorIds.EnvironmentKeyMissing, error.ErrorId);
            Assert.Contains(Variable, error.Message);
            Assert.False(EnvironmentKeyStore.IsSet);
        }

        [Theory]
        [InlineData("not-a-fernet-key-but-a-secret-value")]
        [InlineData("c2hvcnQ")]
        [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
        public void Invalid_GivesEnvironmentKeyInvalid_WithoutEchoingTheValue(string value)
        {
            using var environment = new EnvironmentScope().Set(Variable, value);

            CtException error = Assert.Throws<CtException>(() => new EnvironmentKeyStore().Load());

            Assert.Equal(ErrorIds.EnvironmentKeyInvalid, error.ErrorId);
            Assert.DoesNotContain(value, error.ToString());
            Assert.Equal(Variable, error.Target);
        }

        [Fact]
        public void AValidKeyFollowedByAnInvalidOne_IsRejected_WithoutEchoingEither()
        {
            string valid = FernetKey.Generate().ToBase64Url();
            const string invalid = "secret-but-not-a-key";
            using var environment = new EnvironmentScope().Set(Variable, valid + "," + invalid);

            CtException error = Assert.Throws<CtException>(() => new EnvironmentKeyStore().Load());

            Assert.Equal(ErrorIds.EnvironmentKeyInvalid, error.ErrorId);
            Assert.DoesNotContain(valid, error.ToString());
            Assert.DoesNotContain(invalid, error.ToString());
        }

        [Fact]
        public void OneKey_IsThePrimary()
        {
            FernetKey key = FernetKey.Generate();
            using var environment = new EnvironmentScope().Set(Variable, key.ToBase64Url());

            KeyRing ring = new EnvironmentKeyStore().Load()!;

            KeyRingEntry entry = Assert.Single(ring.Keys);
            Assert.Same(entry, ring.Primary);
            Assert.Equal(KeyRingEntry.ComputeId(key), ring.Primary.Id);
            Assert.True(EnvironmentKeyStore.IsSet);
        }

        [Theory]
        [InlineData(",")]
        [InlineData(" ")]
        [InlineData(" ,\n ")]
        public void TwoKeys_TheFirstIsPrimary(string separator)
        {
            FernetKey first = FernetKey.Generate();
            FernetKey second = FernetKey.Generate();
            using var environment = new EnvironmentScope().Set(Variable, first.ToBase64Url() + separator + second.ToBase64Url());

            KeyRing ring = new EnvironmentKeyStore().Load()!;

            Assert.Equal(2, ring.Keys.Count);
            Assert.Equal(KeyRingEntry.ComputeId(first), ring.Primary.Id);
            Assert.NotNull(ring.Find(KeyRingEntry.ComputeId(second)));
        }

        [Fact]
        public void Save_GivesKeyStoreReadOnly_AndLeavesTheVariableAlone()
        {
            string value = FernetKey.Generate().ToBase64Url();
            using var environment = new EnvironmentScope().Set(Variable, value);
            var store = new EnvironmentKeyStore();

            CtException error = Assert.Throws<CtException>(() => store.Save(KeyRing.CreateNew()));

            Assert.Equal(ErrorIds.KeyStoreReadOnly, error.ErrorId);
            Assert.Equal(CtErrorKind.InvalidOperation, error.Kind);
            Assert.Equal(value, Environment.GetEnvironmentVariable(Variable));
            Assert.Equal(KeyStoreKind.Environment, store.Kind);
            Assert.Contains(Variable, store.Location);
            Assert.DoesNotContain(value, store.Location + store.CacheKey);
        }
    }
}
