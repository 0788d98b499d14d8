using System;
using System.Linq;
using CryptoTrader.Core.Errors;
using Xunit.Sdk;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>
    /// The fuzz properties' one rule for failures: only the exception types a parser documents may escape, matched
    /// exactly (a subclass or an unrelated type such as IndexOutOfRangeException or NullReferenceException is a bug).
    /// </summary>
    internal static class Allowed
    {
        /// <summary>Runs <paramref name="action"/>; returns null when it succeeds, the exception when its type is allowed, and fails otherwise.</summary>
        public static Exception? Failure(Action action, params Type[] types)
        {
            try
            {
                action();
                return null;
            }
            catch (Exception e) when (types.Contains(e.GetType()))
            {
                return e;
            }
            catch (Exception e)
            {
                throw new XunitException($"Undocumented exception {e.GetType().FullName} escaped (allowed: {string.Join(", ", types.Select(t => t.Name))}): {e}");
            }
        }

        /// <summary>Like <see cref="Failure"/> for code that reports problems only as <see cref="CtException"/> with one of <paramref name="errorIds"/>.</summary>
        public static CtException? CtFailure(Action action, params string[] errorIds)
        {
            var failure = (CtException?)Failure(action, typeof(CtException));
            if (failure != null && !errorIds.Contains(failure.ErrorId))
            {
                throw new XunitException($"CtException with undocumented ErrorId '{failure.ErrorId}' (allowed: {string.Join(", ", errorIds)}): {failure}");
            }
            return failure;
        }
    }
}
