<#
.SYNOPSIS
    Warm-session latency of Invoke-CtTrade on the paper exchange against a trivial binary cmdlet (Get-Random),
    both timed call by call in one child pwsh process (bench/pwsh/trading_bench.ps1).
    Returns a section object for docs/performance.md.
#>
param([string] $Configuration, [string] $ArtifactsPath)

$targetMs = 3
$module = Get-BuiltModule

# A fresh pwsh of the same version as this one (the .NET local tool), so the module and variables start clean.
$pwsh = Get-ChildPwsh
$loadAtStart = Get-LoadAverage
$output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $BenchRoot 'pwsh/trading_bench.ps1') `
    -ModulePath $module -Warmup 20 -Count 300
if ($LASTEXITCODE -ne 0) { throw "trading_bench.ps1 failed with exit code $LASTEXITCODE." }
$r = ($output -join "`n") | ConvertFrom-Json

function Format-Ms([double] $ms) { $ms.ToString('0.000', $Invariant) + ' ms' }
$row = [pscustomobject][ordered]@{
    'Benchmark'                      = 'Invoke-CtTrade (paper, market buy)'
    'CryptoTrader median'            = Format-Ms $r.trade_median_ms
    'CryptoTrader p90'               = Format-Ms $r.trade_p90_ms
    "Baseline median ($($r.baseline))" = Format-Ms $r.baseline_median_ms
    'Ratio'                          = ($r.trade_median_ms / $r.baseline_median_ms).ToString('0', $Invariant) + 'x'
    'Target'                         = "median ≤ $targetMs ms"
    'Met'                            = if ($r.trade_median_ms -le $targetMs) { 'yes' } else { 'no' }
}

[pscustomobject]@{
    Title       = 'Trading latency (warm session)'
    Description = @(
        'What users feel: one trade placed from a prompt or a script that already imported the module.'
        '`Invoke-CtTrade -Exchange paper -Symbol BTC-USD -Side Buy -Quantity 0.0001 -Confirm:$false` in one PowerShell process with the module'
        'imported, a fresh data folder (CRYPTOTRADER_HOME) and a fresh key in CRYPTOTRADER_MASTER_KEY, a stored paper key, a paper account'
        'with plenty of USD, a set price and a trading grant without limits. Each call takes the session''s pooled database connection and, holding'
        'the head file, commits in one durable write transaction the permission gate''s order check (on MAC''d grant and audit state, with'
        'the credential decrypted), TRADE_REQUESTED, the paper fill and TRADE_EXECUTED.'
        "After $($r.warmup) warm-up trades, $($r.count) trades are timed one by one with a Stopwatch (median and 90th percentile)."
        'Baseline: the binary cmdlet `Get-Random -Maximum 100`, timed the same way in the same process (the cost of a trivial cmdlet call'
        'from script). Ratio = CryptoTrader median ÷ baseline median (how many trivial cmdlet calls one trade costs).'
        "Target: a median of at most $targetMs ms. Fastest trade: $(Format-Ms $r.trade_min_ms). Load average: $loadAtStart before, $(Get-LoadAverage) after."
    ) -join "`n"
    Environment = @("PowerShell $($r.powershell)")
    Rows        = @($row)
}
