using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CryptoTrader.Core.Trading;
using Xunit;

namespace CryptoTrader.Core.Tests.Trading
{
    /// <summary>
    /// Shape checks by reflection: money is decimal everywhere (no float or double in the trading, paper
    /// exchange and permission types), and the exchange adapters are reachable only through the gate.
    /// </summary>
    public class TradingSurfaceTests
    {
        private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

        private static readonly Assembly Core = typeof(TradingService).Assembly;

        private static readonly string[] MoneyNamespaces =
        {
            "CryptoTrader.Core.Trading", "CryptoTrader.Core.Exchanges.Paper", "CryptoTrader.Core.Permissions",
        };

        /// <summary>The trading types, plus the public result types the cmdlets output (namespace CryptoTrader).</summary>
        private static IEnumerable<Type> MoneyTypes() =>
            Core.GetTypes().Where(t => (t.Namespace != null && MoneyNamespaces.Contains(t.Namespace))
                || new[] { "CryptoTrader.Balance", "CryptoTrader.Ticker", "CryptoTrader.Order", "CryptoTrader.PermissionInfo" }.Contains(t.FullName));

        [Fact]
        public void TheMoneyTypesAreFound()
        {
            var names = MoneyTypes().Select(t => t.Name).ToList();
            foreach (var expected in new[] { "Balance", "Ticker", "Order", "PermissionInfo", "OrderRequest", "TradingService", "PermissionGate", "PaperExchange", "PaperLedger", "PaperMarket", "GrantLimits", "TradingGrant", "PermissionService", "GrantStore" })
            {
                Assert.Contains(expected, names);
            }
        }

        [Fact]
        public void NoPublicPropertyOrParameter_IsFloatingPoint()
        {
            var offenders = new List<string>();
            foreach (var type in MoneyTypes())
            {
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
                {
                    if (IsFloatingPoint(property.PropertyType))
                    {
                        offenders.Add($"{type.FullName}.{property.Name}");
                    }
                }
                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Cast<MethodBase>()
                    .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)))
                {
                    offenders.AddRange(FloatingPointIn(type, method));
                }
            }
            Assert.Empty(offenders);
        }

        [Fact]
        public void NoMemberAtAll_IsFloatingPoint()
        {
            // Stricter than the public surface: no field, property, parameter or return value of any visibility.
            var offenders = new List<string>();
            foreach (var type in MoneyTypes())
            {
                offenders.AddRange(type.GetFields(Everything).Where(f => IsFloatingPoint(f.FieldType)).Select(f => $"{type.FullName}.{f.Name}"));
                offenders.AddRange(type.GetProperties(Everything).Where(p => IsFloatingPoint(p.PropertyType)).Select(p => $"{type.FullName}.{p.Name}"));
                foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
                {
                    offenders.AddRange(FloatingPointIn(type, method));
                }
            }
            Assert.Empty(offenders);
        }

        [Fact]
        public void TheMoneyProperties_AreDecimal()
        {
            Assert.Equal(typeof(decimal), typeof(Balance).GetProperty(nameof(Balance.Available))!.PropertyType);
            Assert.Equal(typeof(decimal), typeof(Balance).GetProperty(nameof(Balance.Hold))!.PropertyType);
            Assert.Equal(typeof(decimal), typeof(Ticker).GetProperty(nameof(Ticker.Price))!.PropertyType);
            Assert.Equal(typeof(decimal), typeof(Order).GetProperty(nameof(Order.Quantity))!.PropertyType);
            Assert.Equal(typeof(decimal?), typeof(Order).GetProperty(nameof(Order.LimitPrice))!.PropertyType);
            Assert.Equal(typeof(decimal?), typeof(Order).GetProperty(nameof(Order.AveragePrice))!.PropertyType);
            Assert.Equal(typeof(decimal), typeof(Order).GetProperty(nameof(Order.FilledQuantity))!.PropertyType);
            Assert.Equal(typeof(decimal?), typeof(PermissionInfo).GetProperty(nameof(PermissionInfo.MaxOrderValue))!.PropertyType);
            Assert.Equal(typeof(decimal), typeof(OrderRequest).GetProperty(nameof(OrderRequest.Quantity))!.PropertyType);
        }

        [Fact]
        public void TheAdapterInterface_IsNotPublic()
        {
            Assert.False(typeof(IExchangeAdapter).IsPublic);
            Assert.False(typeof(IExchangeAdapter).IsVisible);
        }

        [Fact]
        public void NoPublicType_ImplementsTheAdapterInterface()
        {
            var implementations = Core.GetTypes().Where(t => t != typeof(IExchangeAdapter) && typeof(IExchangeAdapter).IsAssignableFrom(t)).ToList();
            Assert.NotEmpty(implementations);
            Assert.DoesNotContain(implementations, t => t.IsVisible);
            Assert.DoesNotContain(Core.GetExportedTypes(), t => typeof(IExchangeAdapter).IsAssignableFrom(t));
        }

        [Fact]
        public void TheGateAndTheAdapterFactory_AreNotPublic()
        {
            Assert.False(typeof(PermissionGate).IsVisible);
            Assert.False(Core.GetType("CryptoTrader.Core.Trading.ExchangeAdapters", throwOnError: true)!.IsVisible);
            Assert.False(Core.GetType("CryptoTrader.Core.Exchanges.Paper.PaperExchange", throwOnError: true)!.IsVisible);
        }

        [Fact]
        public void NoPublicMember_HandsOutAnAdapter()
        {
            var offenders = new List<string>();
            foreach (var type in Core.GetExportedTypes())
            {
                foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
                {
                    var types = member switch
                    {
                        PropertyInfo p => new[] { p.PropertyType },
                        FieldInfo f => new[] { f.FieldType },
                        MethodInfo m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType).ToArray(),
                        ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType).ToArray(),
                        _ => Array.Empty<Type>(),
                    };
                    if (types.Any(t => Mentions(t, typeof(IExchangeAdapter))))
                    {
                        offenders.Add($"{type.FullName}.{member.Name}");
                    }
                }
            }
            Assert.Empty(offenders);
        }

        private static IEnumerable<string> FloatingPointIn(Type type, MethodBase method)
        {
            foreach (var parameter in method.GetParameters().Where(p => IsFloatingPoint(p.ParameterType)))
            {
                yield return $"{type.FullName}.{method.Name}({parameter.Name})";
            }
            if (method is MethodInfo info && IsFloatingPoint(info.ReturnType))
            {
                yield return $"{type.FullName}.{method.Name} returns {info.ReturnType.Name}";
            }
        }

        private static bool IsFloatingPoint(Type type)
        {
            if (type.HasElementType)
            {
                return IsFloatingPoint(type.GetElementType()!);
            }
            if (type.IsGenericType)
            {
                return type.GetGenericArguments().Any(IsFloatingPoint);
            }
            return type == typeof(double) || type == typeof(float) || type.FullName == "System.Half";
        }

        private static bool Mentions(Type type, Type target) =>
            type == target || (type.HasElementType && Mentions(type.GetElementType()!, target)) || (type.IsGenericType && type.GetGenericArguments().Any(a => Mentions(a, target)));
    }
}
