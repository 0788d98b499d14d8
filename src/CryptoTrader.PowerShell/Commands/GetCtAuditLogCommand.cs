using System.Management.Automation;
using CryptoTrader.Core.Audit;
using CryptoTrader.PowerShell.Hosting;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>Streams audit records in sequence order, filtered in the database.</summary>
    [Cmdlet(VerbsCommon.Get, "CtAuditLog")]
    [OutputType(typeof(AuditRecord))]
    public sealed class GetCtAuditLogCommand : AuditFilterCmdlet
    {
        internal override void Process(CtSession session)
        {
            foreach (var record in new AuditReader(session.Database).Read(BuildQuery()))
            {
                WriteObject(record);
            }
        }
    }
}
