# TEST STAND-IN for Microsoft.PowerShell.SecretManagement 1.1.2.
# Written for CryptoTrader's tests from the module's documented contract; it is not
# the real module (see ../README.md). The GUID is the real module's identifier so that
# fully qualified module specifications resolve to this stand-in the same way.
@{
    RootModule           = 'Microsoft.PowerShell.SecretManagement.psm1'
    ModuleVersion        = '1.1.2'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = 'a5c858f6-4a8e-41f1-b1ee-0ff8f6ad69d3'
    Author               = 'CryptoTrader project (test stand-in)'
    Description          = 'Test stand-in for Microsoft.PowerShell.SecretManagement 1.1.2 (script implementation of the documented contract).'
    PowerShellVersion    = '5.1'
    FunctionsToExport    = @(
        'Register-SecretVault', 'Unregister-SecretVault', 'Get-SecretVault', 'Set-SecretVaultDefault',
        'Test-SecretVault', 'Set-Secret', 'Set-SecretInfo', 'Get-Secret', 'Get-SecretInfo',
        'Remove-Secret', 'Unlock-SecretVault')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{ PSData = @{ Tags = @('TestStandIn') } }
}
