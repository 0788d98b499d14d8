# TEST STAND-IN for Microsoft.PowerShell.SecretManagement 1.1.2, written from the
# documented contract for CryptoTrader's tests. See ../README.md for what differs.
Set-StrictMode -Version 3.0

#region Public types

# The real module ships these types in its binary; extension vaults build
# SecretInformation objects, so the same full type names must exist here.
# Guarded because the module is also imported into the extension runspace.
if (-not ('Microsoft.PowerShell.SecretManagement.SecretInformation' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Microsoft.PowerShell.SecretManagement
{
    public enum SecretType { Unknown = 0, ByteArray, String, SecureString, PSCredential, Hashtable }

    public sealed class PasswordRequiredException : InvalidOperationException
    {
        public PasswordRequiredException(string msg) : base(msg) { }
    }

    public sealed class SecretInformation
    {
        public string Name { get; private set; }
        public SecretType Type { get; private set; }
        public string VaultName { get; private set; }
        public ReadOnlyDictionary<string, object> Metadata { get; private set; }

        public SecretInformation(string name, SecretType type, string vaultName)
        {
            Name = name; Type = type; VaultName = vaultName;
        }

        public SecretInformation(string name, SecretType type, string vaultName,
            ReadOnlyDictionary<string, object> metadata) : this(name, type, vaultName)
        {
            Metadata = metadata;
        }

        public SecretInformation(string name, SecretType type, string vaultName,
            Hashtable metadata) : this(name, type, vaultName)
        {
            if (metadata == null) { return; }
            var copy = new Dictionary<string, object>(metadata.Count);
            foreach (var key in metadata.Keys) { copy.Add((string)key, metadata[key]); }
            Metadata = new ReadOnlyDictionary<string, object>(copy);
        }
    }

    public sealed class SecretVaultInfo
    {
        public string Name { get; private set; }
        public string ModuleName { get; private set; }
        public string ModulePath { get; private set; }
        public string Description { get; private set; }
        public IReadOnlyDictionary<string, object> VaultParameters { get; private set; }
        public bool IsDefault { get; private set; }

        public SecretVaultInfo(string name, string moduleName, string modulePath,
            string description, Hashtable vaultParameters, bool isDefault)
        {
            Name = name; ModuleName = moduleName; ModulePath = modulePath;
            Description = description ?? string.Empty; IsDefault = isDefault;
            var copy = new Dictionary<string, object>();
            if (vaultParameters != null)
            {
                foreach (var key in vaultParameters.Keys) { copy.Add((string)key, vaultParameters[key]); }
            }
            VaultParameters = new ReadOnlyDictionary<string, object>(copy);
        }
    }
}
'@
}

#endregion

#region Vault registry (per-user JSON file)

$script:NoVaultRegisteredWarning = @'
There are currently no extension vaults registered.
At least one vault must be registered before SecretManagement can add or retrieve secrets.
You can download SecretManagement extension vault modules from PowerShellGallery.
https://aka.ms/SecretManagementVaults
'@

function Get-SmRegistryFilePath {
    # Same location as the real module. Read on every call (the real module reads it
    # once per process), so tests can isolate themselves by changing HOME/LOCALAPPDATA.
    if ([System.Runtime.InteropServices.RuntimeInformation]::IsOSPlatform([System.Runtime.InteropServices.OSPlatform]::Windows)) {
        $root = [Environment]::GetFolderPath([Environment+SpecialFolder]::LocalApplicationData)
        if ($env:LOCALAPPDATA) { $root = $env:LOCALAPPDATA }
        $base = if ($root) { Join-Path $root 'Microsoft/PowerShell/secretmanagement' }
        $missing = 'Unable to find a Local Application Data folder location for the current user, which is needed to store vault registry information.'
    }
    else {
        $root = $env:HOME
        $base = if ($root) { Join-Path $root '.secretmanagement' }
        $missing = "Unable to find a 'HOME' path location for the current user, which is needed to store vault registry information."
    }
    if (-not $root) { throw [System.InvalidOperationException]::new($missing) }
    Join-Path (Join-Path $base 'secretvaultregistry') 'vaultinfo'
}

function ConvertTo-SmHashtable {
    # ConvertFrom-Json -AsHashtable does not exist on Windows PowerShell 5.1.
    param($InputObject)
    if ($InputObject -is [System.Management.Automation.PSCustomObject]) {
        $table = @{}
        foreach ($property in $InputObject.PSObject.Properties) {
            $table[$property.Name] = ConvertTo-SmHashtable $property.Value
        }
        return $table
    }
    if ($InputObject -is [array]) {
        return , @(foreach ($item in $InputObject) { ConvertTo-SmHashtable $item })
    }
    $InputObject
}

function Read-SmRegistry {
    # Returns @{ DefaultVaultName = <string>; Vaults = @{ <name> = @{ModuleName; ModulePath; ...} } }
    $empty = @{ DefaultVaultName = ''; Vaults = @{} }
    $path = Get-SmRegistryFilePath
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) { return $empty }
    try {
        $registry = ConvertTo-SmHashtable ([System.IO.File]::ReadAllText($path) | ConvertFrom-Json)
    }
    catch {
        return $empty
    }
    if ($registry -isnot [hashtable] -or $null -eq $registry['DefaultVaultName'] -or $registry['Vaults'] -isnot [hashtable]) {
        return $empty
    }
    $vaults = [hashtable]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in $registry.Vaults.Keys) { $vaults[$name] = $registry.Vaults[$name] }
    @{ DefaultVaultName = [string]$registry.DefaultVaultName; Vaults = $vaults }
}

function Write-SmRegistry {
    param([hashtable] $Vaults, [string] $DefaultVaultName)
    $path = Get-SmRegistryFilePath
    $directory = Split-Path -Parent $path
    if (-not (Test-Path -LiteralPath $directory)) { $null = New-Item -ItemType Directory -Path $directory -Force }
    $plain = @{}
    foreach ($name in $Vaults.Keys) { $plain[$name] = $Vaults[$name] }
    $json = ConvertTo-Json -InputObject @{ DefaultVaultName = $DefaultVaultName; Vaults = $plain } -Depth 10
    [System.IO.File]::WriteAllText($path, $json)
}

function Get-SmVault {
    # All registered vaults as internal records, sorted by name.
    $registry = Read-SmRegistry
    foreach ($name in ($registry.Vaults.Keys | Sort-Object)) {
        $entry = $registry.Vaults[$name]
        $parameters = if ($entry['VaultParameters'] -is [hashtable]) { $entry['VaultParameters'] } else { @{} }
        [pscustomobject]@{
            Name                      = $name
            ModuleName                = [string]$entry['ModuleName']
            ModulePath                = [string]$entry['ModulePath']
            Description               = [string]$entry['Description']
            VaultParameters           = $parameters
            SetSecretSupportsMetadata = [bool]$entry['SetSecretSupportsMetadata']
            IsDefault                 = $name -eq $registry.DefaultVaultName
        }
    }
}

function Get-SmDefaultVaultName { (Read-SmRegistry).DefaultVaultName }

function ConvertTo-SmVaultInfo {
    param($Vault)
    [Microsoft.PowerShell.SecretManagement.SecretVaultInfo]::new(
        $Vault.Name, $Vault.ModuleName, $Vault.ModulePath, $Vault.Description, $Vault.VaultParameters, $Vault.IsDefault)
}

function Find-SmVaultOrThrow {
    # Mirrors SecretCmdlet.GetExtensionVault: an unknown vault name is a terminating error.
    param([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Name)
    $vault = Get-SmVault | Where-Object Name -EQ $Name
    if (-not $vault) {
        $Cmdlet.ThrowTerminatingError((New-SmError ([System.Management.Automation.PSInvalidOperationException]::new("Vault not found in registry: $Name")) 'GetSecretVaultNotFound' ObjectNotFound))
    }
    $vault
}

function Write-SmNoVaultWarning {
    param([System.Management.Automation.PSCmdlet] $Cmdlet)
    if (-not (Get-SmVault)) { $Cmdlet.WriteWarning($script:NoVaultRegisteredWarning) }
}

function New-SmError {
    param([Exception] $Exception, [string] $ErrorId, [System.Management.Automation.ErrorCategory] $Category, $Target = $null)
    [System.Management.Automation.ErrorRecord]::new($Exception, $ErrorId, $Category, $Target)
}

#endregion

#region Extension vault host (separate runspace)

# Runs one extension function inside the vault module's scope. Like the real module,
# the vault module is imported once into the extension runspace and then reused.
$script:DispatchScript = @'
param([string] $ModuleName, [string] $ModulePath, [string] $Command, [hashtable] $Parameters)
$vaultModule = Microsoft.PowerShell.Core\Get-Module -Name $ModuleName | Microsoft.PowerShell.Utility\Select-Object -First 1
if ($null -eq $vaultModule) {
    $vaultModule = Microsoft.PowerShell.Core\Import-Module -Name $ModulePath -PassThru -ErrorAction Stop
}
& $vaultModule "$ModuleName.Extension\$Command" @Parameters
'@

# Answers whether the extension exports an optional function.
$script:HasCommandScript = @'
param([string] $ModuleName, [string] $ModulePath, [string] $Command)
$vaultModule = Microsoft.PowerShell.Core\Get-Module -Name $ModuleName | Microsoft.PowerShell.Utility\Select-Object -First 1
if ($null -eq $vaultModule) {
    $vaultModule = Microsoft.PowerShell.Core\Import-Module -Name $ModulePath -PassThru -ErrorAction Stop
}
$null -ne (& $vaultModule { param($qualified) Microsoft.PowerShell.Core\Get-Command -Name $qualified -ErrorAction Ignore } "$ModuleName.Extension\$Command")
'@

$script:ExtensionRunspace = $null

function Get-SmExtensionRunspace {
    if ($script:ExtensionRunspace -and $script:ExtensionRunspace.RunspaceStateInfo.State -eq 'Opened') {
        return $script:ExtensionRunspace
    }
    if ($script:ExtensionRunspace) { $script:ExtensionRunspace.Dispose() }
    $sessionState = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $sessionState.LanguageMode = 'FullLanguage'
    # Vault modules may themselves depend on SecretManagement (SecretInformation etc.).
    $sessionState.ImportPSModule([string[]] @(Join-Path $PSScriptRoot 'Microsoft.PowerShell.SecretManagement.psd1'))
    # Sharing the caller's host lets an extension prompt, as with the real module.
    $runspace = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace($Host, $sessionState)
    $runspace.Open()
    $script:ExtensionRunspace = $runspace
    $runspace
}

function Invoke-SmPowerShell {
    # Runs $PowerShell to completion without letting its failure throw into this script:
    # a caught exception would still land in the caller's -ErrorVariable, which the
    # real (compiled) cmdlets never do. Returns @{ Output; Error = <exception or $null> }.
    param([powershell] $PowerShell)
    $inputData = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $inputData.Complete()
    $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $pending = $PowerShell.BeginInvoke($inputData, $output)
    $null = $pending.AsyncWaitHandle.WaitOne()
    $state = $PowerShell.InvocationStateInfo
    $failure = if ($state.State -eq 'Failed') { $state.Reason }
    @{ Output = $output; Error = $failure }
}

function Invoke-SmInExtensionRunspace {
    # Runs $Script in the extension runspace. Streams other than output are forwarded to
    # $Cmdlet so they surface as the caller's own errors/warnings. Returns
    # @{ Output = <objects>; Error = <exception or $null> }.
    param([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Script, [object[]] $Arguments)
    $ps = [powershell]::Create()
    try {
        $ps.Runspace = Get-SmExtensionRunspace
        $command = [System.Management.Automation.Runspaces.Command]::new($Script, $true, $true)
        $command.MergeMyResults([System.Management.Automation.Runspaces.PipelineResultTypes]'Error, Warning, Verbose, Debug, Information',
            [System.Management.Automation.Runspaces.PipelineResultTypes]::Output)
        $null = $ps.Commands.AddCommand($command)
        foreach ($argument in $Arguments) { $null = $ps.Commands.AddArgument($argument) }
        $result = Invoke-SmPowerShell $ps
    }
    finally {
        $ps.Dispose()
    }
    $output = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $result.Output) {
        if ($null -eq $item) { continue }
        $value = $item.PSObject.BaseObject
        if ($value -is [System.Management.Automation.ErrorRecord]) { $Cmdlet.WriteError($value) }
        elseif ($value -is [System.Management.Automation.WarningRecord]) { $Cmdlet.WriteWarning($value.Message) }
        elseif ($value -is [System.Management.Automation.VerboseRecord]) { $Cmdlet.WriteVerbose($value.Message) }
        elseif ($value -is [System.Management.Automation.DebugRecord]) { $Cmdlet.WriteDebug($value.Message) }
        elseif ($value -is [System.Management.Automation.InformationRecord]) { $Cmdlet.WriteInformation($value) }
        else { $output.Add($item) }
    }
    @{ Output = $output; Error = $result.Error }
}

function Get-SmAdditionalParameters {
    param($Vault, [System.Management.Automation.PSCmdlet] $Cmdlet)
    $parameters = @{}
    foreach ($key in $Vault.VaultParameters.Keys) { $parameters[$key] = $Vault.VaultParameters[$key] }
    $verbose = $Cmdlet.MyInvocation.BoundParameters['Verbose']
    $parameters['Verbose'] = [bool]($null -ne $verbose -and $verbose.IsPresent)
    $parameters
}

function Invoke-SmExtension {
    # Calls <ModuleName>.Extension\<Command> for $Vault with the standard
    # -VaultName/-AdditionalParameters plus $Parameters. A PasswordRequiredException
    # from the vault ends the caller's command, as in the real module, unless
    # -ReturnPasswordRequired asks for it back in the result's PasswordRequired.
    param($Vault, [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Command, [hashtable] $Parameters = @{},
        [switch] $ReturnPasswordRequired)
    $all = @{ VaultName = $Vault.Name; AdditionalParameters = (Get-SmAdditionalParameters $Vault $Cmdlet) }
    foreach ($key in $Parameters.Keys) { $all[$key] = $Parameters[$key] }
    $result = Invoke-SmInExtensionRunspace $Cmdlet $script:DispatchScript @($Vault.ModuleName, $Vault.ModulePath, $Command, $all)
    $result['PasswordRequired'] = Find-SmPasswordRequired $result.Error
    if ($result.PasswordRequired -and -not $ReturnPasswordRequired) {
        $Cmdlet.ThrowTerminatingError((New-SmError $result.PasswordRequired $result.PasswordRequired.GetType().FullName InvalidOperation $Vault.Name))
    }
    $result
}

function Test-SmExtensionCommand {
    # Returns 0 (exported), 1 (module failed to load) or 2 (not exported), as the real module does.
    param($Vault, [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Command)
    $result = Invoke-SmInExtensionRunspace $Cmdlet $script:HasCommandScript @($Vault.ModuleName, $Vault.ModulePath, $Command)
    if ($result.Error -or $result.Output.Count -eq 0) { return 1 }
    if ($result.Output[0].PSObject.BaseObject -eq $true) { 0 } else { 2 }
}

function Find-SmPasswordRequired {
    # The real module passes a vault's PasswordRequiredException on as is, instead of
    # wrapping it like other extension failures. A vault's throw arrives as a
    # RuntimeException whose InnerException is what the vault threw.
    param([Exception] $Exception)
    if ($Exception -and $Exception.InnerException -is [Microsoft.PowerShell.SecretManagement.PasswordRequiredException]) {
        return $Exception.InnerException
    }
    $null
}

function Write-SmExtensionFailure {
    param([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Message, [Exception] $Inner, [string] $ErrorId, $Target)
    $exception = [System.Management.Automation.PSInvalidOperationException]::new($Message, $Inner)
    $Cmdlet.WriteError((New-SmError $exception $ErrorId InvalidOperation $Target))
}

function ConvertFrom-SmSecretOutput {
    # Turns the extension's Get-Secret output back into one secret object (or $null).
    param($Output)
    if ($Output.Count -eq 0) { return $null }
    $first = $Output[0].PSObject.BaseObject
    # Write-Output -NoEnumerate in a vault wraps a single object in a List[object].
    if ($first -is [System.Collections.Generic.List[object]] -and $first.Count -gt 0) {
        $first = $first[0]
        if ($first -is [psobject]) { $first = $first.PSObject.BaseObject }
    }
    # A byte[] returned without ,@() arrives enumerated, one byte per item.
    if ($first -is [byte]) {
        return , [byte[]]@($Output | ForEach-Object { $_.PSObject.BaseObject })
    }
    , $first
}

function Invoke-SmGetSecret {
    # Returns @{ Secret = <secret or $null>; PasswordRequired = <exception or $null> }.
    param($Vault, [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Name, [switch] $ReturnPasswordRequired)
    $result = Invoke-SmExtension $Vault $Cmdlet 'Get-Secret' @{ Name = $Name } -ReturnPasswordRequired:$ReturnPasswordRequired
    if ($result.PasswordRequired) { return @{ Secret = $null; PasswordRequired = $result.PasswordRequired } }
    if ($result.Error) {
        Write-SmExtensionFailure $Cmdlet "Unable to get secret $Name from vault $($Vault.Name)" $result.Error 'GetSecretInvalidOperation' $Vault.Name
    }
    else {
        $Cmdlet.WriteVerbose("Secret $Name was successfully retrieved from vault $($Vault.Name).")
    }
    $secret = ConvertFrom-SmSecretOutput $result.Output
    $allowed = [string], [securestring], [byte[]], [pscredential], [hashtable]
    if ($null -ne $secret -and -not ($allowed | Where-Object { $secret -is $_ })) {
        Write-SmExtensionFailure $Cmdlet "Secret object returned for '$Name' from vault '$($Vault.Name)' is of invalid type '$($secret.GetType())'" $null 'GetSecretInvalidOperation' $Vault.Name
        $secret = $null
    }
    @{ Secret = $secret; PasswordRequired = $null }
}

function Invoke-SmGetSecretInfo {
    # -ReportPasswordRequired: write a vault's PasswordRequiredException as a
    # non-terminating GetSecretInfoException (what Get-SecretInfo does) instead of stopping.
    param($Vault, [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Filter, [switch] $ReportPasswordRequired)
    $result = Invoke-SmExtension $Vault $Cmdlet 'Get-SecretInfo' @{ Filter = $Filter } -ReturnPasswordRequired:$ReportPasswordRequired
    if ($result.PasswordRequired) {
        $Cmdlet.WriteError((New-SmError $result.PasswordRequired 'GetSecretInfoException' InvalidOperation))
        return
    }
    if ($result.Error) {
        Write-SmExtensionFailure $Cmdlet "Unable to get secret information from vault $($Vault.Name)" $result.Error 'GetSecretInfoInvalidOperation' $Vault.Name
    }
    foreach ($item in $result.Output) {
        $info = $item.PSObject.BaseObject
        if ($info -is [Microsoft.PowerShell.SecretManagement.SecretInformation]) { $info }
    }
}

function Invoke-SmRemoveSecret {
    param($Vault, [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Name)
    $result = Invoke-SmExtension $Vault $Cmdlet 'Remove-Secret' @{ Name = $Name }
    if ($result.Error) {
        Write-SmExtensionFailure $Cmdlet "Unable to remove secret $Name from vault $($Vault.Name)" $result.Error 'RemoveSecretInvalidOperation' $Vault.Name
    }
    else {
        $Cmdlet.WriteVerbose("Secret $Name was successfully removed from vault $($Vault.Name).")
    }
}

function Invoke-SmSetSecretInfo {
    # Returns $true when the vault stored the metadata.
    param($Vault, [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Name, [hashtable] $Metadata)
    $support = Test-SmExtensionCommand $Vault $Cmdlet 'Set-SecretInfo'
    if ($support -ne 0) {
        $message, $id, $category, $type = if ($support -eq 1) {
            "Cannot add secret metadata '$Name' to vault '$($Vault.Name)': Extension module could not load.", 'SetSecretMetaDataCommandModuleLoadFail', 'InvalidOperation', [System.Management.Automation.PSInvalidOperationException]
        }
        else {
            "Cannot add secret metadata '$Name' to vault '$($Vault.Name)': The vault does not support the Set-SecretInfo function.", 'SetSecretMetadataCommandNotSupported', 'NotImplemented', [System.Management.Automation.PSNotSupportedException]
        }
        $Cmdlet.WriteError((New-SmError ($type::new($message)) $id $category $Vault.Name))
        return $false
    }
    $result = Invoke-SmExtension $Vault $Cmdlet 'Set-SecretInfo' @{ Name = $Name; Metadata = $Metadata }
    if ($result.Error) {
        Write-SmExtensionFailure $Cmdlet "Cannot add secret metadata '$Name' to vault '$($Vault.Name)'" $result.Error 'SetSecretMetadataInvalidOperation' $Vault.Name
        return $false
    }
    $Cmdlet.WriteVerbose("Secret metadata '$Name' was successfully added to vault '$($Vault.Name)'.")
    $true
}

function Invoke-SmSetSecret {
    param($Vault, [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Name, $Secret, [hashtable] $Metadata)
    $parameters = @{ Name = $Name; Secret = $Secret }
    if ($Vault.SetSecretSupportsMetadata) {
        $parameters['Metadata'] = if ($Metadata) { $Metadata } else { @{} }
    }
    $result = Invoke-SmExtension $Vault $Cmdlet 'Set-Secret' $parameters
    if ($result.Error) {
        Write-SmExtensionFailure $Cmdlet "Unable to add secret $Name to vault $($Vault.Name)" $result.Error 'SetSecretInvalidOperation' $Vault.Name
        return
    }
    # A vault whose Set-Secret takes no -Metadata may still offer Set-SecretInfo; if that
    # fails too, the secret is removed again so it is not left half written.
    if ($Metadata -and $Metadata.Count -gt 0 -and -not $Vault.SetSecretSupportsMetadata -and
        -not (Invoke-SmSetSecretInfo $Vault $Cmdlet $Name $Metadata)) {
        Invoke-SmRemoveSecret $Vault $Cmdlet $Name
        return
    }
    $Cmdlet.WriteVerbose("Secret $Name was successfully added to vault $($Vault.Name).")
}

#endregion

#region Vault registration

function Get-SmErrorText {
    # The text of a failure as its error record would show it (no stack trace).
    param($Failure)
    if ($Failure -is [System.Management.Automation.IContainsErrorRecord]) { return $Failure.ErrorRecord.ToString() }
    if ($Failure -is [Exception]) { return $Failure.Message }
    [string]$Failure
}

function Invoke-SmIsolated {
    # Runs a script in a throwaway runspace (used to inspect a module without
    # loading it into the caller's session). Returns @{ Output; Error }.
    param([string] $Script, [object[]] $Arguments)
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddScript($Script)
        foreach ($argument in $Arguments) { $null = $ps.AddArgument($argument) }
        Invoke-SmPowerShell $ps
    }
    finally {
        $ps.Dispose()
    }
}

$script:InspectModuleScript = @'
param([string] $ModulePath, [string] $SecretManagementPath)
$null = Microsoft.PowerShell.Core\Import-Module -Name $SecretManagementPath -ErrorAction Ignore
$module = Microsoft.PowerShell.Core\Import-Module -Name $ModulePath -Force -PassThru -ErrorAction Stop |
    Microsoft.PowerShell.Utility\Select-Object -First 1
$extensionPath = Microsoft.PowerShell.Management\Join-Path $module.ModuleBase "$($module.Name).Extension"
$commands = @{}
$extensionError = $null
try {
    $extension = Microsoft.PowerShell.Core\Import-Module -Name $extensionPath -Force -PassThru -ErrorAction Stop |
        Microsoft.PowerShell.Utility\Select-Object -First 1
    foreach ($name in $extension.ExportedCommands.Keys) {
        $commands[$name] = @($extension.ExportedCommands[$name].Parameters.Keys)
    }
}
catch {
    $extensionError = $_.ToString()
}
[pscustomobject]@{
    Name = $module.Name; ModuleBase = $module.ModuleBase
    ExtensionPath = $extensionPath; ExtensionError = $extensionError; Commands = $commands
}
'@

# Required extension functions and the parameters each must declare.
$script:RequiredExtensionCommands = [ordered]@{
    'Get-Secret'       = 'Name', 'VaultName', 'AdditionalParameters'
    'Set-Secret'       = 'Name', 'Secret', 'VaultName', 'AdditionalParameters'
    'Remove-Secret'    = 'Name', 'VaultName', 'AdditionalParameters'
    'Get-SecretInfo'   = 'Filter', 'VaultName', 'AdditionalParameters'
    'Test-SecretVault' = 'VaultName', 'AdditionalParameters'
}

function Get-SmExtensionProblem {
    # Returns $null when the inspected module is a valid extension vault, else why not.
    param($Inspection)
    if ($Inspection.ExtensionError) {
        return "Implementing script module could not be found or loaded at : $($Inspection.ExtensionPath) with error : $($Inspection.ExtensionError)."
    }
    foreach ($command in $script:RequiredExtensionCommands.Keys) {
        if (-not $Inspection.Commands.ContainsKey($command)) { return "$command function not found." }
        foreach ($parameter in $script:RequiredExtensionCommands[$command]) {
            if ($Inspection.Commands[$command] -notcontains $parameter) { return "$command $parameter parameter not found." }
        }
    }
    $null
}

function Get-SmModuleDirectory {
    # The registry stores the module folder without any version sub-folder.
    param([string] $ModuleBase, [string] $ModuleName)
    $directory = [System.IO.DirectoryInfo]::new($ModuleBase)
    while ($directory -and $directory.Name -ne $ModuleName) { $directory = $directory.Parent }
    if ($directory) { $directory.FullName } else { $ModuleBase }
}

function Register-SecretVault {
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([Microsoft.PowerShell.SecretManagement.SecretVaultInfo])]
    param(
        [Parameter(Position = 0, Mandatory)] [ValidateNotNullOrEmpty()] [string] $ModuleName,
        [Parameter(Position = 1)] [ValidateNotNullOrEmpty()] [string] $Name,
        [hashtable] $VaultParameters = @{},
        [switch] $DefaultVault,
        [switch] $AllowClobber,
        [switch] $PassThru,
        [string] $Description = ''
    )
    if ($null -eq $VaultParameters) { $VaultParameters = @{} }
    if ($VaultParameters.ContainsKey('Verbose')) {
        $PSCmdlet.ThrowTerminatingError((New-SmError ([System.Management.Automation.PSInvalidOperationException]::new(
                        "The 'Verbose' parameter name is reserved and cannot be used in 'VaultParameters'")) 'RegisterSecretVaultCommandCannotUseReservedName' InvalidOperation))
    }
    if (-not $PSBoundParameters.ContainsKey('Name')) {
        $Name = Split-Path -Path $ModuleName -Leaf
        if ([System.IO.Path]::GetExtension($Name) -in '.psd1', '.psm1') { $Name = [System.IO.Path]::GetFileNameWithoutExtension($Name) }
    }

    $registry = Read-SmRegistry
    if ($registry.Vaults.ContainsKey($Name) -and -not $AllowClobber) {
        $PSCmdlet.ThrowTerminatingError((New-SmError ([System.InvalidOperationException]::new('Provided Name for vault is already being used.')) 'RegisterSecretVaultInvalidVaultName' InvalidArgument))
    }
    if (-not $PSCmdlet.ShouldProcess($Name, 'Register module as a SecretManagement extension vault for current user')) { return }

    $resolved = Resolve-Path -Path $ModuleName -ErrorAction Ignore | Select-Object -First 1
    $moduleNameOrPath = if ($resolved) { $resolved.Path } else { $ModuleName }
    $inspection = Invoke-SmIsolated $script:InspectModuleScript @($moduleNameOrPath, (Join-Path $PSScriptRoot 'Microsoft.PowerShell.SecretManagement.psd1'))
    $info = $inspection.Output | Select-Object -First 1
    if ($inspection.Error -or -not $info) {
        $PSCmdlet.ThrowTerminatingError((New-SmError ([System.Management.Automation.PSInvalidOperationException]::new(
                        "Could not load and retrieve module information for module: $ModuleName with error : $(Get-SmErrorText $inspection.Error).")) 'RegisterSecretVaultCantGetModuleInfo' InvalidOperation))
    }
    $problem = Get-SmExtensionProblem $info
    if ($problem) {
        $PSCmdlet.ThrowTerminatingError((New-SmError ([System.Management.Automation.PSInvalidOperationException]::new(
                        "Module $($info.Name) is not a valid extension vault: $problem")) 'RegisterSecretVaultInvalidExtensionVault' InvalidOperation))
    }

    $wasEmpty = $registry.Vaults.Count -eq 0
    $registry.Vaults[$Name] = @{
        ModuleName                = $info.Name
        ModulePath                = Get-SmModuleDirectory $info.ModuleBase $info.Name
        VaultParameters           = $VaultParameters
        Description               = $Description
        SetSecretSupportsMetadata = $info.Commands['Set-Secret'] -contains 'Metadata'
    }
    # The only registered vault becomes the default, unless -DefaultVault says otherwise.
    $makeDefault = if ($PSBoundParameters.ContainsKey('DefaultVault')) { [bool]$DefaultVault } else { $wasEmpty }
    $defaultName = if ($makeDefault) { $Name } else { $registry.DefaultVaultName }
    Write-SmRegistry $registry.Vaults $defaultName

    if ($PassThru) { ConvertTo-SmVaultInfo (Get-SmVault | Where-Object Name -EQ $Name) }
}

function Unregister-SecretVault {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'NameParameterSet', Position = 0, Mandatory, ValueFromPipeline)]
        [SupportsWildcards()] [ValidateNotNullOrEmpty()] [string[]] $Name,
        [Parameter(ParameterSetName = 'SecretVaultParameterSet', Position = 0, Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidateNotNull()] [Microsoft.PowerShell.SecretManagement.SecretVaultInfo] $SecretVault
    )
    process {
        $names = if ($PSCmdlet.ParameterSetName -eq 'SecretVaultParameterSet') { @($SecretVault.Name) } else { $Name }
        foreach ($vaultName in $names) {
            if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($vaultName)) {
                $pattern = [System.Management.Automation.WildcardPattern]::new($vaultName, 'IgnoreCase')
                foreach ($vault in (Get-SmVault | Where-Object { $pattern.IsMatch($_.Name) })) { Remove-SmVault $PSCmdlet $vault.Name }
            }
            else {
                Remove-SmVault $PSCmdlet $vaultName
            }
        }
    }
}

function Remove-SmVault {
    param([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $VaultName)
    if (-not $Cmdlet.ShouldProcess($VaultName, 'Unregister SecretManagement extension vault module for current user')) { return }
    $vault = Get-SmVault | Where-Object Name -EQ $VaultName
    if (-not $vault) {
        $Cmdlet.WriteError((New-SmError ([System.Management.Automation.ItemNotFoundException]::new("Unable to find secret vault $VaultName to unregister it.")) 'UnregisterSecretVaultObjectNotFound' ObjectNotFound))
        return
    }
    # Give the vault its optional chance to clean up.
    if ((Test-SmExtensionCommand $vault $Cmdlet 'Unregister-SecretVault') -eq 0) {
        $result = Invoke-SmExtension $vault $Cmdlet 'Unregister-SecretVault'
        if ($result.Error) {
            Write-SmExtensionFailure $Cmdlet "An error occurred while running Unregister-SecretVault on vault $($vault.Name), Error: $($result.Error.Message)" $result.Error 'UnregisterSecretVaultInvalidOperation' $vault.Name
        }
    }
    $registry = Read-SmRegistry
    $registry.Vaults.Remove($vault.Name)
    $defaultName = if ($registry.DefaultVaultName -eq $vault.Name) { '' } else { $registry.DefaultVaultName }
    Write-SmRegistry $registry.Vaults $defaultName
    $Cmdlet.WriteVerbose("Removed vault $($vault.Name) from registry.")
}

function Get-SecretVault {
    [CmdletBinding()]
    [OutputType([Microsoft.PowerShell.SecretManagement.SecretVaultInfo])]
    param(
        [Parameter(Position = 0)] [SupportsWildcards()] [string[]] $Name
    )
    if (-not $Name) { $Name = '*' }
    $vaults = @(Get-SmVault)
    foreach ($pattern in $Name) {
        if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($pattern)) {
            $wildcard = [System.Management.Automation.WildcardPattern]::new($pattern, 'IgnoreCase')
            $vaults | Where-Object { $wildcard.IsMatch($_.Name) } | ForEach-Object { ConvertTo-SmVaultInfo $_ }
            continue
        }
        $vault = $vaults | Where-Object Name -EQ $pattern
        if ($vault) {
            ConvertTo-SmVaultInfo $vault
        }
        else {
            $PSCmdlet.WriteError((New-SmError ([System.Management.Automation.ItemNotFoundException]::new("Vault $pattern does not exist in registry.")) 'GetSecretVaultNotFound' ObjectNotFound))
        }
    }
}

function Set-SecretVaultDefault {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'NameParameterSet')]
    param(
        [Parameter(ParameterSetName = 'NameParameterSet', Position = 0, Mandatory, ValueFromPipeline)]
        [ValidateNotNullOrEmpty()] [string] $Name,
        [Parameter(ParameterSetName = 'SecretVaultParameterSet', Position = 0, Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidateNotNull()] [Microsoft.PowerShell.SecretManagement.SecretVaultInfo] $SecretVault,
        [Parameter(ParameterSetName = 'ClearParameterSet')] [switch] $ClearDefault
    )
    end {
        if (-not $PSCmdlet.ShouldProcess($Name, 'Set vault as default')) { return }
        $vaultName = switch ($PSCmdlet.ParameterSetName) {
            'NameParameterSet' { $Name }
            'SecretVaultParameterSet' { $SecretVault.Name }
            default { '' }
        }
        $registry = Read-SmRegistry
        if ($vaultName) {
            $match = $registry.Vaults.Keys | Where-Object { $_ -eq $vaultName } | Select-Object -First 1
            if (-not $match) {
                $PSCmdlet.ThrowTerminatingError((New-SmError ([System.Management.Automation.ItemNotFoundException]::new('Vault name was not found.')) 'VaultNotFound' ObjectNotFound))
            }
            $vaultName = $match
        }
        Write-SmRegistry $registry.Vaults $vaultName
    }
}

function Test-SecretVault {
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [SupportsWildcards()] [string[]] $Name
    )
    process {
        if (-not $Name) { $Name = '*' }
        $vaults = @(Get-SmVault)
        $tested = 0
        $allPassed = $true
        foreach ($pattern in $Name) {
            $wildcard = [System.Management.Automation.WildcardPattern]::new($pattern, 'IgnoreCase')
            $matched = @($vaults | Where-Object { $wildcard.IsMatch($_.Name) })
            if ($matched.Count -eq 0 -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($pattern)) {
                $PSCmdlet.WriteError((New-SmError ([System.Management.Automation.ItemNotFoundException]::new("Vault $pattern does not exist in registry.")) 'TestSecretVaultNotFound' ObjectNotFound))
                continue
            }
            foreach ($vault in $matched) {
                $tested++
                if (-not (Invoke-SmTestVault $vault $PSCmdlet)) { $allPassed = $false }
            }
        }
        if ($tested -gt 0) { $allPassed }
    }
}

function Invoke-SmTestVault {
    param($Vault, [System.Management.Automation.PSCmdlet] $Cmdlet)
    $result = Invoke-SmExtension $Vault $Cmdlet 'Test-SecretVault'
    if ($result.Error) {
        Write-SmExtensionFailure $Cmdlet "Unable to run Test-SecretVault on vault $($Vault.Name)" $result.Error 'TestSecretVaultInvalidOperation' $Vault.Name
    }
    $passed = $result.Output.Count -gt 0 -and $result.Output[0].PSObject.BaseObject -is [bool] -and $result.Output[0].PSObject.BaseObject
    $verdict = if ($passed) { 'succeeded' } else { 'failed' }
    $Cmdlet.WriteVerbose("Vault $($Vault.Name) $verdict validation test")
    $passed
}

function Unlock-SecretVault {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, Mandatory)] [ValidateNotNullOrEmpty()] [string] $Name,
        [Parameter(Position = 1, Mandatory)] [securestring] $Password
    )
    $vault = Find-SmVaultOrThrow $PSCmdlet $Name
    switch (Test-SmExtensionCommand $vault $PSCmdlet 'Unlock-SecretVault') {
        1 {
            $PSCmdlet.WriteError((New-SmError ([System.Management.Automation.PSInvalidOperationException]::new(
                            "Cannot unlock extension vault '$($vault.Name)': Extension module could not load.")) 'UnlockSecretVaultCommandModuleLoadFail' InvalidOperation $vault.Name))
            return
        }
        2 {
            $PSCmdlet.WriteWarning("Cannot unlock extension vault '$($vault.Name)': The vault does not support the Unlock-SecretVault function.")
            return
        }
    }
    $result = Invoke-SmExtension $vault $PSCmdlet 'Unlock-SecretVault' @{ Password = $Password }
    if ($result.Error) {
        Write-SmExtensionFailure $PSCmdlet "Unlocking vault '$($vault.Name)' failed with error: $($result.Error.Message)" $result.Error 'UnlockSecretVaultInvalidOperation' $vault.Name
        return
    }
    $PSCmdlet.WriteVerbose("Secret vault '$($vault.Name)' was successfully unlocked.")
}

#endregion

#region Secrets

function Get-SecretInfo {
    [CmdletBinding()]
    [OutputType([Microsoft.PowerShell.SecretManagement.SecretInformation])]
    param(
        [Parameter(Position = 0)] [SupportsWildcards()] [string] $Name,
        [Parameter(Position = 1)] [string] $Vault
    )
    Write-SmNoVaultWarning $PSCmdlet
    if (-not $Name) { $Name = '*' }
    $vaults = if ($Vault) { Find-SmVaultOrThrow $PSCmdlet $Vault } else { Get-SmVaultSearchOrder }
    foreach ($target in $vaults) {
        Invoke-SmGetSecretInfo $target $PSCmdlet $Name -ReportPasswordRequired | Sort-Object -Property Name
    }
}

function Get-SmVaultSearchOrder {
    # The default vault first, then the others by name.
    $vaults = @(Get-SmVault)
    $vaults | Where-Object IsDefault
    $vaults | Where-Object { -not $_.IsDefault }
}

function Get-Secret {
    [CmdletBinding(DefaultParameterSetName = 'NameParameterSet')]
    [OutputType([object])]
    param(
        [Parameter(Position = 0, Mandatory, ValueFromPipeline, ParameterSetName = 'NameParameterSet')] [string] $Name,
        [Parameter(Position = 1, ParameterSetName = 'NameParameterSet')] [string] $Vault,
        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'InfoParameterSet')]
        [Microsoft.PowerShell.SecretManagement.SecretInformation] $InputObject,
        [switch] $AsPlainText
    )
    begin { Write-SmNoVaultWarning $PSCmdlet }
    process {
        if ($PSCmdlet.ParameterSetName -eq 'InfoParameterSet') {
            $Name = $InputObject.Name
            $Vault = $InputObject.VaultName
        }
        if ($Vault) {
            $outcome = Find-SmSecretIn (Find-SmVaultOrThrow $PSCmdlet $Vault) $PSCmdlet $Name $AsPlainText
            if ($outcome -eq 'NotFound') { Write-SmSecretNotFound $PSCmdlet $Name }
            return
        }
        foreach ($candidate in Get-SmVaultSearchOrder) {
            # Like the real module, the default vault is asked for the name's info first.
            if ($candidate.IsDefault -and -not @(Invoke-SmGetSecretInfo $candidate $PSCmdlet $Name).Count) { continue }
            if ((Find-SmSecretIn $candidate $PSCmdlet $Name $AsPlainText) -eq 'Found') { return }
        }
        Write-SmSecretNotFound $PSCmdlet $Name
    }
}

function Find-SmSecretIn {
    # Writes the secret to the caller's pipeline; returns 'Found', 'NotFound' or 'Failed'.
    param($Vault, [System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Name, [bool] $AsPlainText)
    $result = Invoke-SmGetSecret $Vault $Cmdlet $Name -ReturnPasswordRequired
    if ($result.PasswordRequired) {
        $Cmdlet.WriteError((New-SmError $result.PasswordRequired 'GetSecretException' InvalidOperation))
        return 'Failed'
    }
    if ($null -eq $result.Secret) { return 'NotFound' }
    $Cmdlet.WriteObject((ConvertTo-SmReturnedSecret $result.Secret $AsPlainText))
    'Found'
}

function ConvertTo-SmReturnedSecret {
    # Strings come back as SecureString unless -AsPlainText; with it, SecureStrings come
    # back as strings. Hashtable values get the same treatment.
    param($Secret, [bool] $AsPlainText)
    if ($Secret -is [hashtable]) {
        $copy = @{}
        foreach ($key in $Secret.Keys) { $copy[$key] = ConvertTo-SmReturnedItem $Secret[$key] $AsPlainText }
        return $copy
    }
    ConvertTo-SmReturnedItem $Secret $AsPlainText
}

function ConvertTo-SmReturnedItem {
    param($Item, [bool] $AsPlainText)
    if ($Item -is [psobject]) { $Item = $Item.PSObject.BaseObject }
    if (-not $AsPlainText -and $Item -is [string]) { return ConvertTo-SecureString -String $Item -AsPlainText -Force }
    if ($AsPlainText -and $Item -is [securestring]) { return [System.Net.NetworkCredential]::new('', $Item).Password }
    , $Item
}

function Write-SmSecretNotFound {
    param([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Name)
    $Cmdlet.WriteError((New-SmError ([System.Management.Automation.ItemNotFoundException]::new("The secret $Name was not found.")) 'GetSecretNotFound' ObjectNotFound))
}

function Set-Secret {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'SecureStringParameterSet')]
    param(
        [Parameter(ParameterSetName = 'ObjectParameterSet', Position = 0, Mandatory)]
        [Parameter(ParameterSetName = 'SecureStringParameterSet', Position = 0, Mandatory)]
        [ValidateNotNullOrEmpty()] [string] $Name,
        [Parameter(ParameterSetName = 'ObjectParameterSet', Position = 1, Mandatory, ValueFromPipeline)]
        [object] $Secret,
        [Parameter(ParameterSetName = 'SecureStringParameterSet', Position = 1, Mandatory, ValueFromPipeline)]
        [securestring] $SecureStringSecret,
        [Parameter(ParameterSetName = 'SecretInfoParameterSet', Position = 1, Mandatory, ValueFromPipeline)]
        [Microsoft.PowerShell.SecretManagement.SecretInformation] $SecretInfo,
        [Parameter(ParameterSetName = 'ObjectParameterSet', Position = 2)]
        [Parameter(ParameterSetName = 'SecureStringParameterSet', Position = 2)]
        [Parameter(ParameterSetName = 'SecretInfoParameterSet', Mandatory)]
        [string] $Vault,
        [Parameter(ParameterSetName = 'ObjectParameterSet', Position = 3)]
        [Parameter(ParameterSetName = 'SecureStringParameterSet', Position = 3)]
        [hashtable] $Metadata,
        [switch] $NoClobber
    )
    begin { Write-SmNoVaultWarning $PSCmdlet }
    process {
        if (-not $PSCmdlet.ShouldProcess($Vault, 'Write secret to vault and override any existing secret of the same name')) { return }
        if ($PSCmdlet.ParameterSetName -eq 'SecretInfoParameterSet') {
            Copy-SmSecret $PSCmdlet $SecretInfo $Vault $NoClobber
            return
        }
        # Plain assignments: "$x = if (...) { $bytes }" would enumerate a byte[] into object[].
        $value = $Secret
        if ($PSCmdlet.ParameterSetName -eq 'SecureStringParameterSet') { $value = $SecureStringSecret }
        if ($value -is [psobject]) { $value = $value.PSObject.BaseObject }

        $targetName = if ($Vault) { $Vault } else { Get-SmDefaultVaultName }
        if (-not $targetName) {
            $PSCmdlet.ThrowTerminatingError((New-SmError ([System.Management.Automation.PSInvalidOperationException]::new(
                            'Unable to set secret because no vault was provided and there is no default vault designated.')) 'SetSecretCommandFailNoVault' InvalidOperation))
        }
        $target = Find-SmVaultOrThrow $PSCmdlet $targetName
        if ($NoClobber -and $null -ne (Invoke-SmGetSecret $target $PSCmdlet $Name).Secret) {
            $PSCmdlet.ThrowTerminatingError((New-SmError ([System.Management.Automation.PSInvalidOperationException]::new(
                            "A secret with name $Name already exists in vault $($target.Name).")) 'SetSecretCommandAlreadyExistsWithNoClobber' ResourceExists))
        }
        Invoke-SmSetSecret $target $PSCmdlet $Name $value $Metadata
    }
}

function Copy-SmSecret {
    # Set-Secret -SecretInfo: copies a secret, with its metadata, into another vault.
    param([System.Management.Automation.PSCmdlet] $Cmdlet, $SecretInfo, [string] $VaultName, [bool] $NoClobber)
    $source = Find-SmVaultOrThrow $Cmdlet $SecretInfo.VaultName
    $secret = (Invoke-SmGetSecret $source $Cmdlet $SecretInfo.Name).Secret
    $target = Find-SmVaultOrThrow $Cmdlet $VaultName
    if ($NoClobber -and $null -ne (Invoke-SmGetSecret $target $Cmdlet $SecretInfo.Name).Secret) {
        # Non-terminating here, unlike the other parameter sets (as in the real module).
        $Cmdlet.WriteError((New-SmError ([System.Management.Automation.PSInvalidOperationException]::new(
                        "A secret with name $($SecretInfo.Name) already exists in vault $($target.Name).")) 'SetSecretCommandAlreadyExistsWithNoClobber' ResourceExists))
        return
    }
    $metadata = @{}
    if ($SecretInfo.Metadata) { foreach ($key in $SecretInfo.Metadata.Keys) { $metadata[$key] = $SecretInfo.Metadata[$key] } }
    Invoke-SmSetSecret $target $Cmdlet $SecretInfo.Name $secret $metadata
}

function Set-SecretInfo {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'NameParameterSet')]
    param(
        [Parameter(Position = 0, Mandatory, ParameterSetName = 'NameParameterSet')] [ValidateNotNullOrEmpty()] [string] $Name,
        [Parameter(Position = 1, Mandatory, ValueFromPipeline, ParameterSetName = 'NameParameterSet')]
        [Parameter(Position = 0, Mandatory, ParameterSetName = 'InfoParameterSet')]
        [hashtable] $Metadata,
        [Parameter(Position = 2, ParameterSetName = 'NameParameterSet')] [string] $Vault,
        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'InfoParameterSet')]
        [Microsoft.PowerShell.SecretManagement.SecretInformation] $InputObject
    )
    begin { Write-SmNoVaultWarning $PSCmdlet }
    process {
        if (-not $PSCmdlet.ShouldProcess($Vault, 'Write secret metadata to vault and override any existing metadata associated with the secret')) { return }
        if ($PSCmdlet.ParameterSetName -eq 'InfoParameterSet') {
            $Name = $InputObject.Name
            $Vault = $InputObject.VaultName
        }
        $targetName = if ($Vault) { $Vault } else { Get-SmDefaultVaultName }
        if (-not $targetName) {
            $PSCmdlet.ThrowTerminatingError((New-SmError ([System.Management.Automation.PSInvalidOperationException]::new(
                            'Unable to set secret metadata because no vault was provided and there is no default vault designated.')) 'SetSecretInfoCommandFailNoVault' InvalidOperation))
        }
        $null = Invoke-SmSetSecretInfo (Find-SmVaultOrThrow $PSCmdlet $targetName) $PSCmdlet $Name $Metadata
    }
}

function Remove-Secret {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Position = 0, Mandatory, ValueFromPipeline, ParameterSetName = 'NameParameterSet')]
        [ValidateNotNullOrEmpty()] [string] $Name,
        [Parameter(Position = 1, Mandatory, ParameterSetName = 'NameParameterSet')]
        [ValidateNotNullOrEmpty()] [string] $Vault,
        [Parameter(Position = 0, Mandatory, ValueFromPipeline, ParameterSetName = 'InfoParameterSet')]
        [Microsoft.PowerShell.SecretManagement.SecretInformation] $InputObject
    )
    process {
        if (-not $PSCmdlet.ShouldProcess($Vault, 'Remove secret by name from vault')) { return }
        if ($PSCmdlet.ParameterSetName -eq 'InfoParameterSet') {
            $Name = $InputObject.Name
            $Vault = $InputObject.VaultName
        }
        Invoke-SmRemoveSecret (Find-SmVaultOrThrow $PSCmdlet $Vault) $PSCmdlet $Name
    }
}

#endregion

$ExecutionContext.SessionState.Module.OnRemove = {
    if ($script:ExtensionRunspace) { $script:ExtensionRunspace.Dispose() }
}
