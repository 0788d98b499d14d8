# The extension vault functions: string secrets in a plain-text JSON file (test only), refused while the store is locked.
. (Join-Path $PSScriptRoot '../StandIn.Common.ps1')

function Read-SsSecrets {
    $path = Join-Path (Get-SsFolder) 'storefile'
    $secrets = @{}
    if (Test-Path $path) { (Get-Content -Raw $path | ConvertFrom-Json).PSObject.Properties | ForEach-Object { $secrets[$_.Name] = $_.Value } }
    $secrets
}

function Write-SsSecrets([hashtable] $Secrets) {
    $folder = Get-SsFolder
    New-Item -ItemType Directory -Force -Path $folder | Out-Null
    $path = Join-Path $folder 'storefile'
    $Secrets | ConvertTo-Json | Set-Content -Path $path
    if (-not $IsWindows) { chmod 600 $path }
}

function Get-Secret {
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    Assert-SsUnlocked
    $secrets = Read-SsSecrets
    if ($secrets.ContainsKey($Name)) { [string]$secrets[$Name] }
}

function Get-SecretInfo {
    param([string] $Filter, [string] $VaultName, [hashtable] $AdditionalParameters)
    Assert-SsUnlocked
    $pattern = [System.Management.Automation.WildcardPattern]::new($(if ($Filter) { $Filter } else { '*' }), 'IgnoreCase')
    foreach ($name in (Read-SsSecrets).Keys) {
        if ($pattern.IsMatch($name)) {
            [Microsoft.PowerShell.SecretManagement.SecretInformation]::new($name, [Microsoft.PowerShell.SecretManagement.SecretType]::String, $VaultName)
        }
    }
}

function Set-Secret {
    param([string] $Name, [object] $Secret, [string] $VaultName, [hashtable] $AdditionalParameters)
    Assert-SsUnlocked
    if ($Secret -isnot [string]) { throw 'This SecretStore stand-in stores string secrets only.' }
    $secrets = Read-SsSecrets
    $secrets[$Name] = $Secret
    Write-SsSecrets $secrets
}

function Remove-Secret {
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    Assert-SsUnlocked
    $secrets = Read-SsSecrets
    if (-not $secrets.ContainsKey($Name)) { throw "Unable to find secret $Name to remove." }
    $secrets.Remove($Name)
    Write-SsSecrets $secrets
}

function Test-SecretVault {
    param([string] $VaultName, [hashtable] $AdditionalParameters)
    -not (Test-SsLocked)
}
