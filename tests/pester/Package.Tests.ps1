# The module as a package: published with PSResourceGet to a temporary local repository, installed from there with
# Install-PSResource, and imported by name in fresh pwsh sessions. Those sessions get a temporary HOME (no
# PSModulePath, no XDG_DATA_HOME), so PSResourceGet's repository list and the CurrentUser module folder are
# temporary too: the user's own repositories and modules are never read or changed, and nothing uses the network.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Built = Get-CtModulePath
    $script:Version = (Import-PowerShellDataFile (Join-Path $Built 'CryptoTrader.psd1')).ModuleVersion
    $script:Profile = Join-Path $TestDrive 'home'
    $script:Repository = Join-Path $TestDrive 'repository'
    New-Item -ItemType Directory -Path $Profile, $Repository | Out-Null
    $script:Isolated = @{ HOME = $Profile; PSModulePath = $null; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; CRYPTOTRADER_MASTER_KEY = $null }

    # Runs $Script in a fresh pwsh with the temporary HOME; its last output line is JSON, returned as an object.
    function Invoke-InstalledPwsh {
        param([string] $Script, [hashtable] $Environment = @{})
        $variables = $Isolated.Clone()
        foreach ($name in $Environment.Keys) { $variables[$name] = $Environment[$name] }
        # Started in TestDrive: with no NuGet.Config under the temporary HOME, Publish-PSResource writes a default
        # one into NuGet/ under the working folder.
        Push-Location $TestDrive
        try { $result = Invoke-CtChildPwsh -Environment $variables -Script ("`$ErrorActionPreference = 'Stop'`n" + $Script) }
        finally { Pop-Location }
        $result.ExitCode | Should -Be 0 -Because $result.Output
        return ($result.Output -split "`n")[-1] | ConvertFrom-Json
    }

    $script:Published = Invoke-InstalledPwsh @"
Register-PSResourceRepository -Name CtLocal -Uri '$Repository' -Trusted
Publish-PSResource -Path '$Built' -Repository CtLocal
Install-PSResource -Name CryptoTrader -Repository CtLocal -Scope CurrentUser
`$installed = Get-InstalledPSResource -Name CryptoTrader -Scope CurrentUser
[pscustomobject]@{ Packages = @(Get-ChildItem '$Repository' -Name); Version = `$installed.Version.ToString(); Location = `$installed.InstalledLocation } | ConvertTo-Json -Compress
"@
}

Describe 'The CryptoTrader package' {
    It 'is published as CryptoTrader.<version>.nupkg and installed into the temporary CurrentUser module folder' {
        $Published.Packages | Should -Be "CryptoTrader.$Version.nupkg"
        $Published.Version | Should -Be $Version
        $Published.Location | Should -BeLike "$Profile*"
    }

    It 'imports by name in a fresh session and runs commands on a temporary data folder' {
        $dataHome = Join-Path $TestDrive 'data'
        $result = Invoke-InstalledPwsh -Environment @{ CRYPTOTRADER_HOME = $dataHome; CRYPTOTRADER_MASTER_KEY = (New-CtTestFernetKey) } @'
Import-Module CryptoTrader
$config = Get-CtConfig
Set-CtApiKey -Exchange paper -ApiKey 'package-key' -ApiSecret (ConvertTo-SecureString 'package-secret' -AsPlainText -Force) 3>$null | Out-Null
[pscustomobject]@{
    ModuleBase = (Get-Module CryptoTrader).ModuleBase
    Version = (Get-Module CryptoTrader).Version.ToString()
    DataPath = $config.DataPath
    KeyStoreInUse = $config.KeyStoreInUse
    Fingerprint = (Get-CtApiKey -Exchange paper 3>$null).Fingerprint
    AuditValid = (Test-CtAuditLog).IsValid
} | ConvertTo-Json -Compress
'@
        $result.ModuleBase | Should -BeLike "$Profile*"
        $result.Version | Should -Be $Version
        $result.DataPath | Should -Be $dataHome
        $result.KeyStoreInUse | Should -Be 'Environment'
        $result.Fingerprint | Should -Match '^fp:[0-9a-f]{16}$'
        $result.AuditValid | Should -BeTrue
    }

    It 'passes Test-ModuleManifest where it is installed, with the release notes of CHANGELOG.md and a project URI' {
        $result = Invoke-InstalledPwsh @'
$module = Get-Module -ListAvailable CryptoTrader
$manifest = Test-ModuleManifest -Path $module.Path
[pscustomobject]@{ Version = $manifest.Version.ToString(); ReleaseNotes = $manifest.ReleaseNotes; ProjectUri = "$($manifest.ProjectUri)" } | ConvertTo-Json -Compress
'@
        $result.Version | Should -Be $Version
        $changelog = Get-Content (Join-Path $PSScriptRoot '../../CHANGELOG.md') -Raw
        $changelog | Should -Match "(?m)^## $([regex]::Escape($Version))\s*$"
        $result.ReleaseNotes | Should -Not -BeNullOrEmpty
        $changelog.Replace("`r`n", "`n").Contains($result.ReleaseNotes.Replace("`r`n", "`n")) | Should -BeTrue -Because 'the notes are the section of CHANGELOG.md'
        $result.ReleaseNotes | Should -Not -Match '^\s*## ' -Because 'the notes are the text under the heading'
        $result.ProjectUri | Should -Match '^https://'
    }

    It 'ships the CryptoTrader.Keyring vault, which works from the installed module folder' {
        $why = Get-CtTestKeyringUnavailableReason
        if ($why) { Set-ItResult -Skipped -Because $why; return }
        $keyring = Start-CtTestKeyring
        try {
            $result = Invoke-InstalledPwsh -Environment @{ DBUS_SESSION_BUS_ADDRESS = $keyring.Address; PSModulePath = $env:CT_TEST_MODULES } @'
$vault = Join-Path (Get-Module -ListAvailable CryptoTrader).ModuleBase 'CryptoTrader.Keyring'
Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name OsKeyring -ModuleName $vault
Microsoft.PowerShell.SecretManagement\Set-Secret -Vault OsKeyring -Name package -Secret 'from the installed package'
[pscustomobject]@{
    Vault = $vault
    Usable = Microsoft.PowerShell.SecretManagement\Test-SecretVault -Name OsKeyring
    Secret = Microsoft.PowerShell.SecretManagement\Get-Secret -Vault OsKeyring -Name package -AsPlainText
} | ConvertTo-Json -Compress
'@
            $result.Vault | Should -BeLike "$Profile*"
            $result.Usable | Should -BeTrue
            $result.Secret | Should -BeExactly 'from the installed package'
            $lookup = Invoke-CtSecretTool $keyring lookup application CryptoTrader.Keyring vault OsKeyring name package
            ($lookup.Output | ConvertFrom-Json).value | Should -BeExactly 'from the installed package'
        }
        finally {
            Stop-CtTestKeyring $keyring
        }
    }
}
