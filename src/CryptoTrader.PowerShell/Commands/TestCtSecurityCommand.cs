using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Security;
using CryptoTrader.Core.Storage;
using CryptoTrader.PowerShell.Hosting;
using CryptoTrader.PowerShell.KeyStores;

namespace CryptoTrader.PowerShell.Commands
{
    /// <summary>
    /// A read-only security report of the data folder, the key store and the stored credentials: one
    /// CryptoTrader.SecurityFinding per finding. -FailOn ends with a terminating error after the report.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CtSecurity")]
    [OutputType(typeof(SecurityFinding))]
    public sealed class TestCtSecurityCommand : CtCmdlet
    {
        private readonly List<SecurityFinding> folderFindings = new List<SecurityFinding>();
        private IReadOnlyList<PathAccess>? paths;

        /// <summary>Only these checks (tab-completed); all when omitted.</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(SecurityCheckCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Check { get; set; }

        /// <summary>After the report, a terminating SecurityCheckFailed error when any finding is at least this severe.</summary>
        [Parameter]
        public SecuritySeverity? FailOn { get; set; }

        // Opening the session makes the folder and its files private again, so their modes are read before that. A folder
        // the session will refuse to open (DataFolderInsecure) gets its FilePermissions findings now, before that error.
        protected override void BeginProcessing()
        {
            var home = DataHome.Resolve();
            paths = PathAccess.Inspect(home);
            var selected = Check is null || Check.Contains(FilePermissionsCheck.CheckName, StringComparer.OrdinalIgnoreCase);
            if (selected && PathAccess.AnyRefused(paths))
            {
                foreach (var finding in FilePermissionsCheck.Findings(home.Path, paths))
                {
                    folderFindings.Add(finding);
                    WriteObject(finding);
                }
            }
        }

        internal override void Process(CtSession session)
        {
            var checks = SecurityChecks.Select(Check).Where(c => folderFindings.Count == 0 || c.Name != FilePermissionsCheck.CheckName);
            var context = new SecurityContext(session.Home, session.Database, session.Current, session.Choice, session.Store.Location, () => FindKeyRing(session))
            {
                Paths = paths ?? PathAccess.Inspect(session.Home),
                MasterKeyVariableSet = EnvironmentKeyStore.IsSet,
                Interactive = IsInteractive,
                Vault = InspectVault(session),
            };
            var findings = new List<SecurityFinding>(folderFindings);
            foreach (var finding in SecurityChecks.Run(context, checks))
            {
                findings.Add(finding);
                WriteObject(finding);
            }
            if (FailOn.HasValue && SecurityChecks.FailureFor(findings, FailOn.Value) is { } failure)
            {
                throw failure;
            }
        }

        private static VaultLockState? InspectVault(CtSession session)
        {
            if (session.Choice.Kind != KeyStoreKind.SecretManagement || !(session.Store is SecretManagementKeyStore store))
            {
                return null;
            }
            if (store.Vault is null)
            {
                return new VaultLockState("(default)", null) { Problem = "no SecretManagement vault is registered" };
            }
            try
            {
                return VaultLockInspector.Inspect(store.Vault);
            }
            catch (CtException e)
            {
                return new VaultLockState(store.Vault, null) { Problem = e.Message };
            }
        }

        // Never creates a key ring or prompts: a report must not change the store, and a locked store is itself a finding.
        private KeyRing? FindKeyRing(CtSession session)
        {
            var provider = session.KeyRings();
            if (provider.Store is EnvironmentKeyStore)
            {
                WriteWarning(EnvironmentKeyStore.DevelopmentOnlyWarning);
            }
            var ring = provider.Find();
            return ring != null && !new ApiKeyService(session.Database).KnowsEveryKey(ring) ? provider.Store.Load() : ring;
        }
    }
}
