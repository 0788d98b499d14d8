<#
.SYNOPSIS
    One runbook of the Runbooks benchmark: imports the module and reads its paper balance (which opens the database and
    passes the gate), says it is ready, waits for the start signal, then places -Count paper trades one after another
    on the data folder in CRYPTOTRADER_HOME. Run by
    bench/groups/Runbooks.ps1, several at once; prints one JSON object (its start and end as UTC ticks, the
    failures with their first error messages, and each trade's time).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ReadyFile,
    [Parameter(Mandatory)] [string] $StartFile,
    [int] $Count = 100
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

Import-Module $ModulePath -WarningAction SilentlyContinue
# A runbook checks its balance before it trades; the cost of starting a process is the cold-start benchmark's.
$null = Get-CtBalance -Exchange paper -WarningAction SilentlyContinue
New-Item -ItemType File -Path $ReadyFile | Out-Null
$deadline = [DateTime]::UtcNow.AddMinutes(5)
while (-not (Test-Path $StartFile)) {
    if ([DateTime]::UtcNow -gt $deadline) { throw "No start signal ($StartFile) within 5 minutes." }
    Start-Sleep -Milliseconds 2
}

$started = [DateTime]::UtcNow.Ticks
$ms = [Collections.Generic.List[double]]::new()
$errors = [Collections.Generic.List[string]]::new()
$failures = 0
$clock = [Diagnostics.Stopwatch]::new()
for ($i = 0; $i -lt $Count; $i++) {
    $clock.Restart()
    try {
        $null = Invoke-CtTrade -Exchange paper -Symbol BTC-USD -Side Buy -Quantity 0.0001 -Confirm:$false -WarningAction SilentlyContinue
    }
    catch {
        $clock.Stop()
        $failures++
        if ($errors.Count -lt 3) { $errors.Add("trade $($i + 1) after $([int]$clock.Elapsed.TotalMilliseconds) ms: $($_.FullyQualifiedErrorId): $($_.Exception.Message)") }
    }
    $clock.Stop()
    $ms.Add($clock.Elapsed.TotalMilliseconds)
}
$finished = [DateTime]::UtcNow.Ticks

[ordered]@{
    pid      = $PID
    started  = $started
    finished = $finished
    trades   = $Count
    failures = $failures
    errors   = @($errors)
    trade_ms = @($ms)
} | ConvertTo-Json -Compress
