# CryptoTrader.Keyring: a SecretManagement extension vault in the OS keyring.
#
# SecretManagement runs this module in its own runspace, so it imports CryptoTrader itself (two folders up)
# and calls the engine through [CryptoTrader.PowerShell.KeyStores.KeyringVault]. Each secret is one keyring
# item (attributes application=CryptoTrader.Keyring, vault=<vault>, name=<secret>) holding JSON
# {"type": <SecretType>, "value": ...}; byte arrays are base64. One more item per vault (index=names) lists the
# names and types for Get-SecretInfo. Nothing prompts: a locked keyring is an error that says how to unlock it.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'CryptoTrader.psd1')) -Global:$false
$script:Engine = [CryptoTrader.PowerShell.KeyStores.KeyringVault]

function ConvertTo-CtKeyringEntry {
    param($Secret, [bool] $AllowHashtable = $true)
    if ($Secret -is [psobject]) { $Secret = $Secret.PSObject.BaseObject }
    if ($Secret -is [byte[]]) { return @{ type = 'ByteArray'; value = [Convert]::ToBase64String($Secret) } }
    if ($Secret -is [string]) { return @{ type = 'String'; value = $Secret } }
    if ($Secret -is [securestring]) {
        return @{ type = 'SecureString'; value = [System.Net.NetworkCredential]::new('', $Secret).Password }
    }
    if ($Secret -is [pscredential]) {
        return @{ type = 'PSCredential'; value = @{ userName = $Secret.UserName; password = $Secret.GetNetworkCredential().Password } }
    }
    if ($Secret -is [System.Collections.IDictionary] -and $AllowHashtable) {
        $values = @{}
        foreach ($key in $Secret.Keys) { $values[[string]$key] = ConvertTo-CtKeyringEntry $Secret[$key] $false }
        return @{ type = 'Hashtable'; value = $values }
    }
    $typeName = if ($null -eq $Secret) { 'null' } else { $Secret.GetType().FullName }
    throw [System.ArgumentException]::new("CryptoTrader.Keyring: secrets of type '$typeName' are not supported (string, SecureString, byte[], PSCredential, Hashtable).")
}

function ConvertFrom-CtKeyringEntry {
    param($Entry)
    switch ([string]$Entry.type) {
        'ByteArray' { return , [Convert]::FromBase64String([string]$Entry.value) }
        'String' { return [string]$Entry.value }
        'SecureString' { return ConvertTo-SecureString -String ([string]$Entry.value) -AsPlainText -Force }
        'PSCredential' {
            $password = ConvertTo-SecureString -String ([string]$Entry.value.password) -AsPlainText -Force
            return [pscredential]::new([string]$Entry.value.userName, $password)
        }
        'Hashtable' {
            $values = @{}
            foreach ($property in $Entry.value.PSObject.Properties) { $values[$property.Name] = ConvertFrom-CtKeyringEntry $property.Value }
            return $values
        }
    }
    throw [System.InvalidOperationException]::new("CryptoTrader.Keyring: the stored secret has an unknown type '$($Entry.type)'.")
}

function Read-CtKeyringIndex {
    param([string] $VaultName)
    $index = [ordered]@{}
    $text = $script:Engine::ReadIndex($VaultName)
    if ($text) {
        foreach ($property in (ConvertFrom-Json -InputObject $text).PSObject.Properties) { $index[$property.Name] = [string]$property.Value }
    }
    $index
}

function Write-CtKeyringIndex {
    param([string] $VaultName, $Index)
    $script:Engine::WriteIndex($VaultName, (ConvertTo-Json -InputObject $Index -Compress))
}

function Get-Secret {
    [CmdletBinding()]
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    $text = $script:Engine::Read($VaultName, $Name)
    # SecretManagement treats no output as "not found".
    if ($null -eq $text) { return }
    $secret = ConvertFrom-CtKeyringEntry (ConvertFrom-Json -InputObject $text)
    , $secret
}

function Set-Secret {
    [CmdletBinding()]
    param([string] $Name, [object] $Secret, [string] $VaultName, [hashtable] $AdditionalParameters, [hashtable] $Metadata)
    $entry = ConvertTo-CtKeyringEntry $Secret
    $script:Engine::Write($VaultName, $Name, (ConvertTo-Json -InputObject $entry -Depth 5 -Compress))
    $index = Read-CtKeyringIndex $VaultName
    if (-not $index.Contains($Name) -or $index[$Name] -ne $entry.type) {
        $index[$Name] = $entry.type
        Write-CtKeyringIndex $VaultName $index
    }
}

function Remove-Secret {
    [CmdletBinding()]
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    $removed = $script:Engine::Delete($VaultName, $Name)
    $index = Read-CtKeyringIndex $VaultName
    if ($index.Contains($Name)) {
        $index.Remove($Name)
        Write-CtKeyringIndex $VaultName $index
    }
    if (-not $removed) {
        Write-Error -Message "CryptoTrader.Keyring '$VaultName': no secret named '$Name' to remove." -Category ObjectNotFound -ErrorId 'CtKeyringSecretNotFound'
    }
}

function Get-SecretInfo {
    [CmdletBinding()]
    param([string] $Filter, [string] $VaultName, [hashtable] $AdditionalParameters)
    if (-not $Filter) { $Filter = '*' }
    $pattern = [System.Management.Automation.WildcardPattern]::new($Filter, 'IgnoreCase')
    # The SecretManagement types are looked up at run time: the module defines them, this one does not reference them.
    $infoType = 'Microsoft.PowerShell.SecretManagement.SecretInformation' -as [type]
    $secretType = 'Microsoft.PowerShell.SecretManagement.SecretType' -as [type]
    $index = Read-CtKeyringIndex $VaultName
    foreach ($name in @($index.Keys | Sort-Object)) {
        if (-not $pattern.IsMatch($name)) { continue }
        $infoType::new($name, [Enum]::Parse($secretType, $index[$name]), $VaultName)
    }
}

function Test-SecretVault {
    [CmdletBinding()]
    param([string] $VaultName, [hashtable] $AdditionalParameters)
    $problem = $script:Engine::Problem()
    if ($problem) {
        Write-Error -Message "CryptoTrader.Keyring '$VaultName': $problem" -Category ResourceUnavailable -ErrorId 'CtKeyringUnavailable'
        return $false
    }
    $true
}
