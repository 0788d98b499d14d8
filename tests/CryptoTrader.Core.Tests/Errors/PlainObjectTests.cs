using System;
using System.Collections;
using System.Linq;
using CryptoTrader.Core.Errors;
using Xunit;

namespace CryptoTrader.Core.Tests.Errors
{
    /// <summary>
    /// What cmdlets output and what errors carry are plain objects: PowerShell's formatters (Get-Error, every $ErrorView,
    /// Format-*), Export-Csv and ConvertTo-Json treat a collection type as its items, not as one object.
    /// </summary>
    public class PlainObjectTests
    {
        private static readonly Type[] PublicTypes = typeof(CtException).Assembly.GetExportedTypes();

        [Fact]
        public void OutputTypes_AreNotCollections()
        {
            var outputs = PublicTypes.Where(t => t.Namespace == "CryptoTrader" && t.IsClass && t != typeof(AuditRecordDetails)).ToList();

            Assert.Contains(typeof(AuditRecord), outputs);
            Assert.All(outputs, t => Assert.False(typeof(IEnumerable).IsAssignableFrom(t), t.Name + " is a collection"));
        }

        [Fact]
        public void ExceptionProperties_AreNotCollectionTypes_ExceptListsOfPlainObjects()
        {
            var exceptions = PublicTypes.Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();

            Assert.Contains(typeof(CryptoTrader.Core.Trading.TradeRejectedException), exceptions);
            var collections = exceptions.SelectMany(t => t.GetProperties())
                .Where(p => p.DeclaringType != typeof(Exception) && p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType))
                .ToList();

            Assert.NotEmpty(collections);
            foreach (var property in collections)
            {
                var type = property.PropertyType;
                var item = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().Single();
                Assert.False(typeof(IEnumerable).IsAssignableFrom(item), $"{property.DeclaringType!.Name}.{property.Name} holds collections");
            }
        }
    }
}
