# Test stand-in for Microsoft.PowerShell.SecretStore (see ../README.md). Never ship it.
@{
    RootModule        = 'Microsoft.PowerShell.SecretStore.psm1'
    ModuleVersion     = '1.0.6'
    GUID              = '7ad0c0a4-2f8e-4e63-9b6e-2d1f4b0c6a11'
    Author            = 'CryptoTrader tests'
    Description       = 'Test stand-in for the SecretStore extension vault: lock settings and a plain-text store.'
    PowerShellVersion = '5.1'
    NestedModules     = @('.\Microsoft.PowerShell.SecretStore.Extension')
    FunctionsToExport = @('Unlock-SecretStore', 'Get-SecretStoreConfiguration', 'Set-SecretStoreConfiguration')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
