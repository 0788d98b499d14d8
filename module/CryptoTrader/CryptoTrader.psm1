# Loads the binary module built for this edition of PowerShell and exports its cmdlets.
$framework = if ($PSEdition -eq 'Core') { 'net8.0' } else { 'net472' }
if ($PSEdition -eq 'Core' -and $PSVersionTable.PSVersion -lt [version]'7.4') {
    throw "CryptoTrader needs PowerShell 7.4 or later (this is $($PSVersionTable.PSVersion)), or Windows PowerShell 5.1."
}
$binary = [System.IO.Path]::Combine($PSScriptRoot, 'bin', $framework, 'CryptoTrader.PowerShell.dll')
# The engine resolver must be in place before Import-Module looks at the cmdlet types.
$initializer = [System.Reflection.Assembly]::LoadFrom($binary).GetType('CryptoTrader.PowerShell.Hosting.ModuleInitializer', $true)
$initializer::Register()
$inner = Microsoft.PowerShell.Core\Import-Module -Name $binary -PassThru -ErrorAction Stop
# The database connections stay pooled between cmdlet calls; Remove-Module closes them.
$ExecutionContext.SessionState.Module.OnRemove = { $initializer::Release() }.GetNewClosure()
Export-ModuleMember -Cmdlet @($inner.ExportedCmdlets.Keys)
