using System;
using System.Management.Automation;
using CryptoTrader.Core.Errors;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>Turns core failures into ErrorRecords with the core's stable ErrorId.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(CtException e) => new ErrorRecord(e, e.ErrorId, Category(e.Kind), e.Target);

        public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target, Exception? inner = null) =>
            new ErrorRecord(new CtException(errorId, CtErrorKind.InvalidOperation, message, target, inner), errorId, category, target);

        public static ErrorCategory Category(CtErrorKind kind) => kind switch
        {
            CtErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            CtErrorKind.InvalidData => ErrorCategory.InvalidData,
            CtErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            CtErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            CtErrorKind.SecurityError => ErrorCategory.SecurityError,
            CtErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
            CtErrorKind.WriteError => ErrorCategory.WriteError,
            CtErrorKind.AuthenticationError => ErrorCategory.AuthenticationError,
            _ => ErrorCategory.InvalidOperation,
        };
    }
}
