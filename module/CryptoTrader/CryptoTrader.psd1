@{
    RootModule           = 'bin/CryptoTrader.PowerShell.dll'
    # Imported before the root module: makes CryptoTrader.Core resolve from bin/net8.0 (PowerShell 7) or bin/net472.
    NestedModules        = @('bin/CryptoTrader.Loader.dll')
    # build.ps1 writes the version from Directory.Build.props into the built copy.
    ModuleVersion        = '0.0.0'
    GUID                 = '7f9c6a52-3d6e-4f1b-9a51-2f0d3c8b6e14'
    Author               = 'CryptoTrader contributors'
    CompanyName          = 'CryptoTrader'
    Copyright            = '(c) CryptoTrader contributors. MIT License.'
    Description          = 'Keeps exchange API keys encrypted at rest, lets a credential trade only with an explicit grant, and writes a tamper-evident audit log.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('CryptoTrader.format.ps1xml')
    CmdletsToExport      = @(
        'Get-CtConfig'
        'Set-CtConfig'
        'Unlock-CtKeyStore'
        'Lock-CtKeyStore'
        'Move-CtKeyRing'
        'Set-CtKeyFilePassword'
        'Get-CtAuditLog'
        'Test-CtAuditLog'
        'Repair-CtAuditLog'
        'Test-CtSecurity'
        'Export-CtAuditLog'
        'Set-CtApiKey'
        'Get-CtApiKey'
        'Remove-CtApiKey'
        'Test-CtApiKey'
        'Update-CtEncryptionKey'
        'Grant-CtTrading'
        'Revoke-CtTrading'
        'Get-CtPermission'
        'Invoke-CtTrade'
        'Stop-CtOrder'
        'Get-CtBalance'
        'Get-CtTicker'
        'Get-CtOrder'
        'Set-CtPaperPrice'
        'Reset-CtPaperAccount'
        'Sync-CtMarketData'
        'Import-CtCandle'
        'Get-CtCandle'
        'Invoke-CtBacktest'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('crypto', 'trading', 'security', 'fernet', 'audit', 'SecretManagement')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/cryptotrader/CryptoTrader'
            # build.ps1 writes this version's section of CHANGELOG.md into the built copy.
            ReleaseNotes = ''
        }
    }
}
