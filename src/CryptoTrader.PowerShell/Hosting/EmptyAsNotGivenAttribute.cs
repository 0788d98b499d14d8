using System.Management.Automation;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>
    /// An empty (or blank) string binds as "not given": Import-Csv writes an empty cell as "", which would otherwise
    /// become 0 for a number, fail as a time span, or be an invalid name. The parameter then keeps its default.
    /// </summary>
    public sealed class EmptyAsNotGivenAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is string text && string.IsNullOrWhiteSpace(text) ? null : inputData;
        }
    }
}
