using System;

namespace CryptoTrader.Core.Errors
{
    /// <summary>
    /// A failure the user can act on. <see cref="ErrorId"/> is stable (scripts catch it);
    /// the message says what happened and what to do, and never contains secret material.
    /// </summary>
    public class CtException : Exception
    {
        public CtException(string errorId, CtErrorKind kind, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        public string ErrorId { get; }

        public CtErrorKind Kind { get; }

        /// <summary>The object the error is about (a path, an exchange name, a setting); never a secret.</summary>
        public object? Target { get; }
    }
}
