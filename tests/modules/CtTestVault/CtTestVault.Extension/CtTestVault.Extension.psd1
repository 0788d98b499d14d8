@{
    ModuleVersion     = '1.0.0'
    GUID              = 'c1d2e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f'
    RootModule        = 'CtTestVault.Extension.psm1'
    PowerShellVersion = '7.4'
    RequiredModules   = @()
    FunctionsToExport = @('Get-Secret', 'Set-Secret', 'Remove-Secret', 'Get-SecretInfo', 'Set-SecretInfo',
        'Test-SecretVault', 'Unlock-SecretVault')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
