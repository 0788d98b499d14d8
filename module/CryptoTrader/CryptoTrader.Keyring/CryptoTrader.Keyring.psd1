# SecretManagement extension vault that keeps secrets in the OS keyring (Secret Service on Linux,
# Keychain on macOS, Credential Manager on Windows), through CryptoTrader's keyring backends.
# Register-SecretVault -Name OsKeyring -ModuleName <CryptoTrader module folder>/CryptoTrader.Keyring
@{
    ModuleVersion     = '0.0.0'
    GUID              = '3b8f2d61-7c4e-4a9b-b0d5-91e6c2f4a8d7'
    Author            = 'CryptoTrader contributors'
    CompanyName       = 'CryptoTrader'
    Copyright         = '(c) CryptoTrader contributors. MIT License.'
    Description       = 'SecretManagement extension vault backed by the OS keyring (CryptoTrader keyring backends).'
    PowerShellVersion = '5.1'
    NestedModules     = @('./CryptoTrader.Keyring.Extension')
    FunctionsToExport = @()
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
