using System.Collections.Generic;

namespace CryptoTrader.Core.Security
{
    /// <summary>One rule of the security report. A check only reads; it yields at least one finding (Info when all is well).</summary>
    public interface ISecurityCheck
    {
        /// <summary>The name Test-CtSecurity -Check selects it by, and every finding carries.</summary>
        string Name { get; }

        IEnumerable<SecurityFinding> Run(SecurityContext context);
    }
}
