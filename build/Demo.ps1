<#
.SYNOPSIS
    A short, real CryptoTrader session on a temporary data folder, saying what it does as it goes.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

function Step([string] $Text) { Write-Host "`n== $Text" }

$demoHome = Join-Path ([IO.Path]::GetTempPath()) ("cryptotrader-demo-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
$env:CRYPTOTRADER_HOME = $demoHome
Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
try {
    Step "Import the module from $ModulePath"
    Import-Module $ModulePath
    Get-Command -Module CryptoTrader | Format-Table Name, CommandType -AutoSize | Out-Host

    Step "Data folder: $demoHome (from CRYPTOTRADER_HOME). Which key store will hold the master key ring?"
    Get-CtConfig | Format-List KeyStoreInUse, KeyStoreReason, KeyStoreLocation, DatabasePath | Out-Host

    Step 'First unlock of the encrypted key file sets its passphrase and generates the key ring'
    $passphrase = ConvertTo-SecureString -String 'demo passphrase, not for real keys' -AsPlainText -Force
    Unlock-CtKeyStore -Password $passphrase -Verbose 4>&1 | Out-Host

    Step 'Files are private to this user'
    Get-ChildItem -Force $demoHome | ForEach-Object {
        '{0}  {1}' -f ([Convert]::ToString([int]$_.UnixFileMode, 8)), $_.Name
    } | Out-Host
    '{0}  (folder)' -f ([Convert]::ToString([int](Get-Item $demoHome).UnixFileMode, 8)) | Out-Host

    Step 'Set the audit user id for this runbook: the change comes back as its audit record'
    Set-CtConfig -AuditUserId 'demo-runbook' | Format-Table -Wrap | Out-String -Width 160 | Out-Host

    Step 'The audit log, verified; and exported in its JSON form'
    Get-CtAuditLog | Format-Table -Wrap | Out-String -Width 160 | Out-Host
    Test-CtAuditLog | Out-Host
    $export = Join-Path $demoHome 'audit.json'
    Export-CtAuditLog -Path $export | Out-Null
    Get-Content $export | Out-Host

    Step 'Lock the key store: the key ring is forgotten; a wrong passphrase is refused'
    Lock-CtKeyStore
    try {
        Unlock-CtKeyStore -Password (ConvertTo-SecureString -String 'not the passphrase' -AsPlainText -Force)
    }
    catch {
        "Refused as expected: [$($_.FullyQualifiedErrorId)] $($_.Exception.Message)" | Out-Host
    }
    Unlock-CtKeyStore -Password $passphrase
    'Unlocked again with the right passphrase.' | Out-Host
}
finally {
    Remove-Item $demoHome -Recurse -Force -ErrorAction Ignore
}
Step 'Demo finished; its data folder was removed.'
