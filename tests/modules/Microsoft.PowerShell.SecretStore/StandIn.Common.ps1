# Shared by the stand-in's root module and its extension (which SecretManagement loads in another runspace).
# The unlock time is kept process-wide, like the real module's in-memory password: every runspace sees it.

$script:UnlockedAtKey = 'Microsoft.PowerShell.SecretStore.StandIn.UnlockedAt'
$script:PasswordRequiredMessage = "A valid password is required to access the Microsoft.PowerShell.SecretStore vault.`nUse the Unlock-SecretStore cmdlet to provide the required password to access the store."

function Get-SsFolder {
    $base = if ($IsWindows) { Join-Path $env:LOCALAPPDATA 'Microsoft\PowerShell\secretmanagement' } else { Join-Path $env:HOME '.secretmanagement' }
    Join-Path $base 'localstore'
}

function Read-SsConfig {
    $path = Join-Path (Get-SsFolder) 'storeconfig'
    if (Test-Path $path) { return Get-Content -Raw $path | ConvertFrom-Json }
    [pscustomobject]@{ Scope = 'CurrentUser'; Authentication = 'Password'; PasswordTimeout = 900; Interaction = 'Prompt'; Password = $null }
}

function Write-SsConfig($Config) {
    $folder = Get-SsFolder
    New-Item -ItemType Directory -Force -Path $folder | Out-Null
    $Config | ConvertTo-Json | Set-Content -Path (Join-Path $folder 'storeconfig')
}

function Test-SsLocked {
    $config = Read-SsConfig
    if ($config.Authentication -eq 'None') { return $false }
    $unlockedAt = [AppDomain]::CurrentDomain.GetData($script:UnlockedAtKey)
    if ($null -eq $unlockedAt) { return $true }
    if ([int]$config.PasswordTimeout -lt 0) { return $false }
    return ([DateTime]::UtcNow - [DateTime]$unlockedAt).TotalSeconds -ge [int]$config.PasswordTimeout
}

function Assert-SsUnlocked {
    if (Test-SsLocked) {
        throw [Microsoft.PowerShell.SecretManagement.PasswordRequiredException]::new($script:PasswordRequiredMessage)
    }
}

function ConvertFrom-SsSecureString([securestring] $Secure) {
    [System.Net.NetworkCredential]::new('', $Secure).Password
}
