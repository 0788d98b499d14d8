<#
.SYNOPSIS
    Runs the Pester suites against the built module and writes the counts as JSON for build.ps1.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $ResultFile
)
$ErrorActionPreference = 'Stop'
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }
Import-Module $PesterPath -Force

# What the suites read: the module under test, the SecretManagement stand-in, and how to start a child pwsh.
$env:CT_MODULE_PATH = (Resolve-Path $ModulePath).Path
$env:CT_TEST_MODULES = (Resolve-Path (Join-Path $TestPath '../modules')).Path
# The suites never see the desktop's session bus: the automatic key store choice would otherwise depend on the
# user's own keyring (and write into it). The keyring suite starts a private bus of its own.
Remove-Item Env:DBUS_SESSION_BUS_ADDRESS -ErrorAction Ignore

$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestPath
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
# No NUnit XML report: test names built from data (control characters included, on purpose) make its writer throw.
$configuration.TestResult.Enabled = $false
try {
    $result = Invoke-Pester -Configuration $configuration
}
catch {
    Write-Host "Pester itself failed: $_"
    $result = $null
}

# A run that produced no result object counts as a failure, never as zero tests.
$counts = if ($null -eq $result) {
    [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
}
else {
    [pscustomobject]@{
        Passed  = [int] $result.PassedCount
        Failed  = [int] ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount)
        Skipped = [int] $result.SkippedCount
    }
}
$counts | ConvertTo-Json | Set-Content -Path $ResultFile
