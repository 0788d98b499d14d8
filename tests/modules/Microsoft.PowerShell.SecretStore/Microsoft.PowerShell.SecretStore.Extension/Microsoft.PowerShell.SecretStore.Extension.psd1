@{
    RootModule        = 'Microsoft.PowerShell.SecretStore.Extension.psm1'
    ModuleVersion     = '1.0.6'
    GUID              = 'b3c2a5f0-6f7d-4f0e-8d51-3c0f2f3f9b21'
    FunctionsToExport = @('Get-Secret', 'Get-SecretInfo', 'Set-Secret', 'Remove-Secret', 'Test-SecretVault')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
