@{
    ModuleVersion     = '0.0.0'
    GUID              = '9d4e1a7c-2b5f-4c8e-a3d6-5f0b8e2c7a19'
    RootModule        = 'CryptoTrader.Keyring.Extension.psm1'
    PowerShellVersion = '5.1'
    FunctionsToExport = @('Get-Secret', 'Set-Secret', 'Remove-Secret', 'Get-SecretInfo', 'Test-SecretVault')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
