# CtTestVault: a file-backed SecretManagement extension vault FOR TESTS ONLY.
#
# Secrets are stored UNENCRYPTED in a JSON file (VaultParameters.Path, mode 0600 on
# Unix). Strings, SecureStrings and PSCredential passwords are only base64-encoded
# (so that ConvertFrom-Json cannot turn date-like strings into DateTime), which is
# plain text for all purposes. That is acceptable for a test vault and for nothing else.
#
# VaultParameters:
#   Path     (required) JSON file holding the secrets; created on first write.
#   Locked   (optional) $true: every call fails with a "vault is locked" error until
#            Unlock-SecretVault is called with the right password.
#   Password (optional) the unlock password (a string) for a Locked vault.
# SecretManagement runs each call in its own runspace, so the unlocked state is kept
# in a marker file next to Path ("<Path>.unlocked"), not in a variable.
Set-StrictMode -Version 3.0

#region Storage

function Get-CtStorePath {
    param([hashtable] $AdditionalParameters, [string] $VaultName)
    $path = $AdditionalParameters['Path']
    if (-not $path) {
        throw [System.ArgumentException]::new("CtTestVault '$VaultName': VaultParameters must contain 'Path', the JSON file that holds the secrets.")
    }
    [string]$path
}

function Get-CtUnlockMarkerPath {
    param([string] $StorePath)
    "$StorePath.unlocked"
}

function Assert-CtUnlocked {
    param([hashtable] $AdditionalParameters, [string] $VaultName)
    if (-not [bool]$AdditionalParameters['Locked']) { return }
    $marker = Get-CtUnlockMarkerPath (Get-CtStorePath $AdditionalParameters $VaultName)
    if (Test-Path -LiteralPath $marker) { return }
    throw [System.InvalidOperationException]::new(
        "CtTestVault '$VaultName': the vault is locked. Unlock it with Unlock-SecretVault -Name '$VaultName' -Password <password>.")
}

function Read-CtStore {
    # Returns the whole store: name -> @{ Type; Value; Metadata }.
    param([string] $StorePath)
    if (-not (Test-Path -LiteralPath $StorePath -PathType Leaf)) { return @{} }
    $text = [System.IO.File]::ReadAllText($StorePath)
    if (-not $text.Trim()) { return @{} }
    ConvertFrom-Json -InputObject $text -AsHashtable
}

function Write-CtPrivateFile {
    # Writes the file atomically, created user-only (0600) on Unix.
    param([string] $Path, [string] $Text)
    $directory = Split-Path -Parent ([System.IO.Path]::GetFullPath($Path))
    if (-not (Test-Path -LiteralPath $directory)) { $null = New-Item -ItemType Directory -Path $directory -Force }
    $temporary = "$Path.$([guid]::NewGuid().ToString('N')).tmp"
    $options = [System.IO.FileStreamOptions]::new()
    $options.Mode = [System.IO.FileMode]::CreateNew
    $options.Access = [System.IO.FileAccess]::Write
    if (-not $IsWindows) { $options.UnixCreateMode = [System.IO.UnixFileMode]'UserRead, UserWrite' }
    $stream = [System.IO.FileStream]::new($temporary, $options)
    try {
        $bytes = [System.Text.UTF8Encoding]::new($false).GetBytes($Text)
        $stream.Write($bytes, 0, $bytes.Length)
    }
    finally {
        $stream.Dispose()
    }
    [System.IO.File]::Move($temporary, $Path, $true)
}

function Write-CtStore {
    param([string] $StorePath, [hashtable] $Store)
    Write-CtPrivateFile $StorePath (ConvertTo-Json -InputObject $Store -Depth 10)
}

#endregion

#region Secret (de)serialisation

function ConvertTo-CtBase64 {
    param([string] $Text)
    [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Text))
}

function ConvertFrom-CtBase64 {
    param([string] $Base64)
    [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Base64))
}

function ConvertTo-CtEntry {
    # Serialises one secret value as @{ Type; Value }.
    param($Secret, [bool] $AllowHashtable = $true)
    if ($Secret -is [psobject]) { $Secret = $Secret.PSObject.BaseObject }
    if ($Secret -is [byte[]]) { return @{ Type = 'ByteArray'; Value = [Convert]::ToBase64String($Secret) } }
    if ($Secret -is [string]) { return @{ Type = 'String'; Value = ConvertTo-CtBase64 $Secret } }
    if ($Secret -is [securestring]) {
        return @{ Type = 'SecureString'; Value = ConvertTo-CtBase64 ([System.Net.NetworkCredential]::new('', $Secret).Password) }
    }
    if ($Secret -is [pscredential]) {
        return @{ Type = 'PSCredential'; Value = @{
                UserName = ConvertTo-CtBase64 $Secret.UserName
                Password = ConvertTo-CtBase64 $Secret.GetNetworkCredential().Password
            }
        }
    }
    if ($Secret -is [hashtable] -and $AllowHashtable) {
        $values = @{}
        foreach ($key in $Secret.Keys) { $values[[string]$key] = ConvertTo-CtEntry $Secret[$key] $false }
        return @{ Type = 'Hashtable'; Value = $values }
    }
    $typeName = if ($null -eq $Secret) { 'null' } else { $Secret.GetType().FullName }
    throw [System.ArgumentException]::new("CtTestVault: secrets of type '$typeName' are not supported.")
}

function ConvertFrom-CtEntry {
    param([hashtable] $Entry)
    switch ($Entry.Type) {
        'ByteArray' { return , [Convert]::FromBase64String($Entry.Value) }
        'String' { return ConvertFrom-CtBase64 $Entry.Value }
        'SecureString' { return ConvertTo-SecureString -String (ConvertFrom-CtBase64 $Entry.Value) -AsPlainText -Force }
        'PSCredential' {
            $password = ConvertTo-SecureString -String (ConvertFrom-CtBase64 $Entry.Value.Password) -AsPlainText -Force
            return [pscredential]::new((ConvertFrom-CtBase64 $Entry.Value.UserName), $password)
        }
        'Hashtable' {
            $values = @{}
            foreach ($key in $Entry.Value.Keys) { $values[$key] = ConvertFrom-CtEntry $Entry.Value[$key] }
            return $values
        }
    }
    throw [System.InvalidOperationException]::new("CtTestVault: unknown stored secret type '$($Entry.Type)'.")
}

#endregion

#region Extension vault functions

function Get-Secret {
    [CmdletBinding()]
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    Assert-CtUnlocked $AdditionalParameters $VaultName
    $store = Read-CtStore (Get-CtStorePath $AdditionalParameters $VaultName)
    # SecretManagement treats "no output" as "not found".
    if (-not $store.ContainsKey($Name)) { return }
    $secret = ConvertFrom-CtEntry $store[$Name]
    , $secret
}

function Set-Secret {
    [CmdletBinding()]
    param([string] $Name, [object] $Secret, [string] $VaultName, [hashtable] $AdditionalParameters, [hashtable] $Metadata)
    Assert-CtUnlocked $AdditionalParameters $VaultName
    $path = Get-CtStorePath $AdditionalParameters $VaultName
    $store = Read-CtStore $path
    $entry = ConvertTo-CtEntry $Secret
    $entry['Metadata'] = if ($Metadata) { $Metadata } else { @{} }
    $store[$Name] = $entry
    Write-CtStore $path $store
}

function Set-SecretInfo {
    [CmdletBinding()]
    param([string] $Name, [hashtable] $Metadata, [string] $VaultName, [hashtable] $AdditionalParameters)
    Assert-CtUnlocked $AdditionalParameters $VaultName
    $path = Get-CtStorePath $AdditionalParameters $VaultName
    $store = Read-CtStore $path
    if (-not $store.ContainsKey($Name)) {
        throw [System.Management.Automation.ItemNotFoundException]::new("CtTestVault '$VaultName': no secret named '$Name'.")
    }
    $store[$Name]['Metadata'] = if ($Metadata) { $Metadata } else { @{} }
    Write-CtStore $path $store
}

function Remove-Secret {
    [CmdletBinding()]
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    Assert-CtUnlocked $AdditionalParameters $VaultName
    $path = Get-CtStorePath $AdditionalParameters $VaultName
    $store = Read-CtStore $path
    if (-not $store.ContainsKey($Name)) {
        Write-Error -Message "CtTestVault '$VaultName': no secret named '$Name' to remove." -Category ObjectNotFound -ErrorId 'CtTestVaultSecretNotFound'
        return
    }
    $store.Remove($Name)
    Write-CtStore $path $store
}

function Get-SecretInfo {
    [CmdletBinding()]
    param([string] $Filter, [string] $VaultName, [hashtable] $AdditionalParameters)
    Assert-CtUnlocked $AdditionalParameters $VaultName
    if (-not $Filter) { $Filter = '*' }
    $pattern = [System.Management.Automation.WildcardPattern]::new($Filter, 'IgnoreCase')
    $store = Read-CtStore (Get-CtStorePath $AdditionalParameters $VaultName)
    foreach ($name in ($store.Keys | Sort-Object)) {
        if (-not $pattern.IsMatch($name)) { continue }
        $entry = $store[$name]
        $metadata = if ($entry['Metadata'] -is [hashtable]) { $entry['Metadata'] } else { @{} }
        [Microsoft.PowerShell.SecretManagement.SecretInformation]::new(
            $name, [Microsoft.PowerShell.SecretManagement.SecretType]$entry.Type, $VaultName, $metadata)
    }
}

function Test-SecretVault {
    [CmdletBinding()]
    param([string] $VaultName, [hashtable] $AdditionalParameters)
    try {
        $path = Get-CtStorePath $AdditionalParameters $VaultName
        Assert-CtUnlocked $AdditionalParameters $VaultName
        if (Test-Path -LiteralPath $path -PathType Leaf) { $null = Read-CtStore $path }
        $true
    }
    catch {
        Write-Error -ErrorRecord $_
        $false
    }
}

function Unlock-SecretVault {
    [CmdletBinding()]
    param([securestring] $Password, [string] $VaultName, [hashtable] $AdditionalParameters)
    $path = Get-CtStorePath $AdditionalParameters $VaultName
    if (-not [bool]$AdditionalParameters['Locked']) { return }
    $given = [System.Net.NetworkCredential]::new('', $Password).Password
    if ($given -cne [string]$AdditionalParameters['Password']) {
        throw [System.UnauthorizedAccessException]::new("CtTestVault '$VaultName': the password is not correct.")
    }
    Write-CtPrivateFile (Get-CtUnlockMarkerPath $path) ''
}

#endregion
