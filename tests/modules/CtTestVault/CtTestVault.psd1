# File-backed SecretManagement extension vault for CryptoTrader's tests only.
# VaultParameters: Path (JSON file, required), Locked ($true to require Unlock-SecretVault),
# Password (the unlock password when Locked). See CtTestVault.Extension/CtTestVault.Extension.psm1.
@{
    ModuleVersion     = '1.0.0'
    GUID              = '6f0b7d8e-3c1a-4b8e-9a51-2d7c4e0f9b13'
    Author            = 'CryptoTrader project'
    Description       = 'Test-only file-backed extension vault (stores secrets in plain text).'
    PowerShellVersion = '7.4'
    NestedModules     = @('./CtTestVault.Extension')
    FunctionsToExport = @()
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
