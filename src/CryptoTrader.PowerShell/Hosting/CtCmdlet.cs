using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using CryptoTrader.Core.Audit;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Crypto;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.KeyStores;
using CryptoTrader.Core.Storage;
using CryptoTrader.Core.Trading;

namespace CryptoTrader.PowerShell.Hosting
{
    /// <summary>
    /// Base of every CryptoTrader cmdlet: opens the session for each input and turns core failures into ErrorRecords.
    /// In a cmdlet that takes pipeline input, a failure about one input is written as a non-terminating error (it
    /// honours -ErrorAction) and the next input goes on; one that would make every later input fail too
    /// (<see cref="TerminatingErrors"/>, storage failures) ends the command. Gets the key ring, prompting only in an
    /// interactive session.
    /// </summary>
    public abstract class CtCmdlet : PSCmdlet
    {
        private static readonly ConcurrentDictionary<Type, bool> PipelineInput = new ConcurrentDictionary<Type, bool>();

        protected sealed override void ProcessRecord() => Guarded(ProcessInput);

        /// <summary>Handles one input; by default on a session of its own.</summary>
        internal virtual void ProcessInput()
        {
            using var session = CtSession.Open();
            Process(session);
        }

        /// <summary>Runs <paramref name="work"/>, reporting its failures as this cmdlet's errors.</summary>
        protected void Guarded(Action work)
        {
            try
            {
                work();
            }
            catch (CtException e)
            {
                if (CtDatabase.IsStorageFailure(e.ErrorId))
                {
                    CtDatabase.ReleasePooledConnections();
                }
                Report(e);
            }
            catch (Exception e) when (IsStorageFailure(e))
            {
                CtDatabase.ReleasePooledConnections();
                ThrowTerminatingError(new ErrorRecord(e, ErrorIds.DatabaseUnavailable, ErrorCategory.ResourceUnavailable, null)
                {
                    ErrorDetails = new ErrorDetails($"CryptoTrader could not read or write its data ({e.Message}). Nothing was changed by the failed step; check the data folder and retry."),
                });
            }
        }

        /// <summary>Runs <paramref name="work"/> for each item; a failure about one item is reported and the next goes on.</summary>
        internal void ForEachItem<T>(IEnumerable<T> items, Action<T> work)
        {
            foreach (var item in items)
            {
                try
                {
                    work(item);
                }
                catch (CtException e) when (!EndsCommand(e))
                {
                    Report(e);
                }
            }
        }

        /// <summary>
        /// True for a failure after which every later input would fail too. A cmdlet that takes no pipeline input has
        /// only the one: its failures end it, as they always have.
        /// </summary>
        protected virtual bool EndsCommand(CtException e) => TerminatingErrors.Includes(e.ErrorId) || !TakesPipelineInput(GetType());

        private static bool TakesPipelineInput(Type cmdlet) => PipelineInput.GetOrAdd(cmdlet, type => type.GetProperties()
            .SelectMany(p => p.GetCustomAttributes(typeof(ParameterAttribute), inherit: true).Cast<ParameterAttribute>())
            .Any(p => p.ValueFromPipeline || p.ValueFromPipelineByPropertyName));

        /// <summary>A failure of one part of an input's work (one order of several cancelled) that lets the rest go on.</summary>
        internal void WriteItemError(CtException e) => WriteError(ErrorRecords.From(e));

        // The records of a refused or failed trade are output first: they are what happened.
        private void Report(CtException e)
        {
            if (e is TradeRejectedException rejected)
            {
                WriteAuditRecords(rejected.Records);
            }
            if (EndsCommand(e))
            {
                ThrowTerminatingError(ErrorRecords.From(e));
            }
            WriteError(ErrorRecords.From(e));
        }

        // SQLite is matched by name: naming its type here would make the runtime look for it outside the module's load context.
        private static bool IsStorageFailure(Exception e) =>
            e.GetType().FullName == "Microsoft.Data.Sqlite.SqliteException" || e is System.IO.IOException || e is UnauthorizedAccessException;

        internal abstract void Process(CtSession session);

        /// <summary>The secret of a SecureString as characters; the caller clears them.</summary>
        internal static char[] Reveal(SecureString secure) => ToCharArray(secure);

        /// <summary>True only at a console a person can answer: not -NonInteractive, not redirected input, not a remote or hosted runspace.</summary>
        protected bool IsInteractive
        {
            get
            {
                if (Host?.Name != "ConsoleHost" || Console.IsInputRedirected)
                {
                    return false;
                }
                return !Environment.GetCommandLineArgs().Any(a =>
                    a.StartsWith("-noni", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--noni", StringComparison.OrdinalIgnoreCase));
            }
        }

        /// <summary>
        /// The key ring. The provider reads it again when the recorded primary is missing from the cached ring; and when a
        /// stored token names a key the ring lacks (another process rotated it meanwhile), it is read from the store again.
        /// </summary>
        internal KeyRing RequireKeyRing(CtSession session)
        {
            var provider = Audited(session, session.KeyRings());
            var ring = RequireKeyRing(provider);
            return new ApiKeyService(session.Database).KnowsEveryKey(ring) ? ring : provider.Reload();
        }

        /// <summary>How core services read the key ring again when stored data names a key it lacks (another session rotated meanwhile).</summary>
        internal static Func<KeyRing, KeyRing?> Refresher(CtSession session) => session.KeyRings().Refresh;

        /// <summary>The trading service over this session's key ring, audited to this cmdlet's user.</summary>
        internal TradingService OpenTrading(CtSession session)
        {
            var ring = RequireKeyRing(session);
            return new TradingService(session.Database, OpenAuditLog(session, ring), ring, Refresher(session));
        }

        /// <summary>The provider, set up so that a key ring it creates is audited on this cmdlet's pipeline.</summary>
        internal KeyRingProvider Audited(CtSession session, KeyRingProvider provider)
        {
            provider.KeyRingCreated += ring => WriteAuditRecords(new[] { KeyRingAudit.Created(OpenAuditLog(session, ring), ring, provider.Store) });
            return provider;
        }

        /// <summary>
        /// The key ring from the provider's store, created on first use. Writes the development-only
        /// warning whenever the environment store is used; prompts for the key file's passphrase only interactively.
        /// A locked key file in a non-interactive session is KeyStoreLocked naming <paramref name="unlockWith"/>,
        /// a command that unlocks it in this session (Unlock-CtKeyStore unless the session uses another store).
        /// </summary>
        internal KeyRing RequireKeyRing(KeyRingProvider provider, string unlockWith = UnlockKeyFileCommand)
        {
            if (provider.Store is EnvironmentKeyStore)
            {
                WriteWarning(EnvironmentKeyStore.DevelopmentOnlyWarning);
            }
            try
            {
                return provider.GetOrCreate();
            }
            catch (CtException e) when (e.ErrorId == ErrorIds.KeyStoreLocked && provider.Store is EncryptedFileKeyStore file)
            {
                if (!IsInteractive)
                {
                    throw new CtException(ErrorIds.KeyStoreLocked, CtErrorKind.SecurityError,
                        $"The key file '{file.Path}' is locked. Unlock it for this session with {unlockWith}, for example with a SecureString from a vault or a runbook credential.",
                        file.Path, e);
                }
                using var passphrase = PromptForKeyFilePassphrase(file, "Password");
                return UnlockKeyFile(file, passphrase, provider);
            }
        }

        internal const string UnlockKeyFileCommand = "Unlock-CtKeyStore -Password <SecureString>";

        /// <summary>The key file's passphrase at the console: the existing one, or a new one (asked twice) for a key file not created yet.</summary>
        internal SecureString PromptForKeyFilePassphrase(EncryptedFileKeyStore file, string parameter) => file.Exists
            ? PromptForPassphrase($"Passphrase for the CryptoTrader key file {file.Path}: ", isNew: false, parameter)
            : PromptForNewPassphrase(file, parameter);

        /// <summary>A new passphrase for the key file, asked twice at the console.</summary>
        internal SecureString PromptForNewPassphrase(EncryptedFileKeyStore file, string parameter) =>
            PromptForPassphrase($"New passphrase for the CryptoTrader key file {file.Path} (at least {PassphrasePolicy.MinimumLength} characters): ", isNew: true, parameter);

        /// <summary>
        /// Asks for a passphrase at an interactive console; a new one twice, and both must be the same. In any other session it
        /// fails with PassphraseRequired naming <paramref name="parameter"/>.
        /// </summary>
        internal SecureString PromptForPassphrase(string prompt, bool isNew, string parameter)
        {
            if (!IsInteractive)
            {
                throw new CtException(ErrorIds.PassphraseRequired, CtErrorKind.InvalidArgument,
                    $"This session is not interactive: pass the passphrase with -{parameter} (a SecureString), for example from a vault or a protected runbook credential.", parameter);
            }
            Host.UI.Write(prompt);
            var first = Host.UI.ReadLineAsSecureString();
            if (!isNew)
            {
                return first;
            }
            Host.UI.Write("Type it again to confirm: ");
            using var second = Host.UI.ReadLineAsSecureString();
            if (!SameText(first, second))
            {
                first.Dispose();
                throw new CtException(ErrorIds.PassphrasesDiffer, CtErrorKind.InvalidArgument,
                    "The two passphrases typed differ; nothing was changed. Run the command again and type the same passphrase twice.", parameter);
            }
            return first;
        }

        private static bool SameText(SecureString left, SecureString right)
        {
            var a = ToCharArray(left);
            var b = ToCharArray(right);
            try
            {
                var same = a.Length == b.Length;
                for (var i = 0; i < a.Length && i < b.Length; i++)
                {
                    same &= a[i] == b[i];
                }
                return same;
            }
            finally
            {
                Array.Clear(a, 0, a.Length);
                Array.Clear(b, 0, b.Length);
            }
        }

        internal AuditLog OpenAuditLog(CtSession session, KeyRing ring) =>
            new AuditLog(session.Database, session.Home, ring, session.Current.EffectiveAuditUserId, session.KeyRings());

        /// <summary>Audit records go to the pipeline of the cmdlet that caused them.</summary>
        internal void WriteAuditRecords(IEnumerable<AuditRecord> records)
        {
            foreach (var record in records)
            {
                WriteObject(record);
            }
        }

        /// <summary>
        /// Unlocks the key file with the passphrase and hands its key ring to the provider; for a data folder
        /// without a key file, creates one. If another process created the file meanwhile, opens that one instead.
        /// </summary>
        internal static KeyRing UnlockKeyFile(EncryptedFileKeyStore file, SecureString passphrase, KeyRingProvider provider)
        {
            var characters = ToCharArray(passphrase);
            try
            {
                var existing = file.Unlock(characters);
                try
                {
                    return provider.Adopt(existing);
                }
                catch (CtException e) when (existing is null && e.ErrorId == ErrorIds.KeyStoreLocked && file.Exists)
                {
                    return provider.Adopt(file.Unlock(characters));
                }
            }
            finally
            {
                Array.Clear(characters, 0, characters.Length);
            }
        }

        private static char[] ToCharArray(SecureString secure)
        {
            var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                var characters = new char[secure.Length];
                Marshal.Copy(pointer, characters, 0, characters.Length);
                return characters;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
