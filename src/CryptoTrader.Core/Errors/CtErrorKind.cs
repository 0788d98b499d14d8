namespace CryptoTrader.Core.Errors
{
    /// <summary>What kind of failure an error is; the cmdlet layer maps it to a PowerShell ErrorCategory.</summary>
    public enum CtErrorKind
    {
        InvalidArgument,
        InvalidData,
        NotFound,
        PermissionDenied,
        SecurityError,
        ResourceUnavailable,
        WriteError,
        InvalidOperation,
        AuthenticationError,
    }
}
