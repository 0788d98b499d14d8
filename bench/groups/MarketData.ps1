<#
.SYNOPSIS
    Market data and backtesting: Sync-CtMarketData of one year of one-minute candles from the local Coinbase stand-in,
    and Invoke-CtBacktest of a moving-average strategy over those 525,600 candles against the same strategy called from
    a plain PowerShell foreach over the same candles, both in one child pwsh (bench/pwsh/marketdata_bench.ps1).
    Returns a section object for docs/performance.md.
#>
param([string] $Configuration, [string] $ArtifactsPath)

$backtestRatioTarget = 1.5
$secondsTarget = 60
$module = Join-Path $RepoRoot 'out/CryptoTrader/CryptoTrader.psd1'
if (-not (Test-Path $module)) { throw "The module is not built ($module): run ./build.ps1 Build (the Bench task does)." }

# The stand-in the Pester suites use: no gaps (exactly 525,600 candles), no rate limit (the 1,502 requests as fast as
# the stand-in answers; the retry rules are tested, not timed), CanTrade false (a read-only key).
Import-Module (Join-Path $RepoRoot 'tests/pester/TestHelpers.psm1') -Force
$stub = Start-CoinbaseStub -CanTrade $false -Options '--candle-gap-every', '0' -LifetimeSeconds 900
$savedCertFile = $env:SSL_CERT_FILE
try {
    # OpenSSL reads SSL_CERT_FILE when a process starts: the child trusts the stand-in's CA, nothing else changes.
    $env:SSL_CERT_FILE = $stub.CaFile
    $process = [Environment]::ProcessPath
    $arguments = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $BenchRoot 'pwsh/marketdata_bench.ps1'), '-ModulePath', $module,
        '-StubUrl', $stub.Url, '-KeyName', $stub.KeyName, '-KeyFile', $stub.KeyFile)
    if ([IO.Path]::GetFileNameWithoutExtension($process) -ne 'pwsh') { $arguments = @((Join-Path $PSHOME 'pwsh.dll')) + $arguments }
    $output = & $process @arguments
    if ($LASTEXITCODE -ne 0) { throw "marketdata_bench.ps1 failed with exit code ${LASTEXITCODE}: $output" }
}
finally {
    $env:SSL_CERT_FILE = $savedCertFile
    Stop-CoinbaseStub $stub
}
$r = ($output -join "`n") | ConvertFrom-Json

function Format-Seconds([double] $Seconds) { $Seconds.ToString('0.00', $Invariant) + ' s' }
$ratio = $r.backtest_seconds / $r.loop_seconds
$rows = @(
    [pscustomobject][ordered]@{
        'Benchmark'    = "Invoke-CtBacktest, $($r.candles.ToString('N0', $Invariant)) one-minute candles, 10/50 MA crossover"
        'CryptoTrader' = Format-Seconds $r.backtest_seconds
        'Baseline'     = (Format-Seconds $r.loop_seconds) + ' (plain foreach)'
        'Ratio'        = $ratio.ToString('0.00', $Invariant) + 'x'
        'Target'       = "≤ $($backtestRatioTarget)x and < $secondsTarget s"
        'Met'          = if ($ratio -le $backtestRatioTarget -and $r.backtest_seconds -lt $secondsTarget) { 'yes' } else { 'no' }
    }
    [pscustomobject][ordered]@{
        'Benchmark'    = "Sync-CtMarketData, one year of one-minute candles ($($r.requests.ToString('N0', $Invariant)) requests)"
        'CryptoTrader' = Format-Seconds $r.sync_seconds
        'Baseline'     = 'n/a'
        'Ratio'        = 'n/a'
        'Target'       = "< $secondsTarget s"
        'Met'          = if ($r.sync_seconds -lt $secondsTarget) { 'yes' } else { 'no' }
    }
)

[pscustomobject]@{
    Title       = 'Market data and backtesting'
    Description = @(
        'One child pwsh with the module imported, a fresh data folder and a read-only Coinbase key (environment key store), against'
        'the local Coinbase stand-in (`tests/CoinbaseStub`: HTTPS on 127.0.0.1, every JWT verified, no rate limit, no gaps).'
        '`Sync-CtMarketData -Granularity OneMinute` of 2023 (365 days, 525,600 candles) into an empty store: each page of 350 candles is'
        'one signed request through the permission gate, stored with its coverage in one transaction (WAL, synchronous=FULL).'
        '`Invoke-CtBacktest` then replays those candles through a 10/50 moving-average crossover script block (`$Backtest.Close(50)`,'
        '`[Linq.Enumerable]::Average`, `Buy(0.1)`/`Sell`), reading them from the database as it goes.'
        'Baseline: the same script block called with `&` from a plain `foreach ($Candle in $candles)` over the same 525,600 candles, read'
        "beforehand with Get-CtCandle (not timed; $(Format-Seconds $r.load_seconds)), with a compiled C# " + '`$Backtest` that keeps the closes and fills'
        "orders at the next open with the fee (both sides placed the same $($r.orders.ToString('N0', $Invariant)) orders). Both warmed up on one day of candles, each timed once"
        'with a Stopwatch. Ratio = Invoke-CtBacktest ÷ loop. The engine calls the script block with `ScriptBlock.InvokeWithContext`'
        '(a new scope with `$Candle` and `$Backtest` defined), which costs less per call than `&` inside a script loop.'
    ) -join "`n"
    Environment = @("PowerShell $($r.powershell)")
    Rows        = $rows
}
