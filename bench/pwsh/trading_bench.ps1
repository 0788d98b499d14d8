<#
.SYNOPSIS
    Times Invoke-CtTrade on the paper exchange in a warm session, next to a trivial binary cmdlet (Get-Random),
    in this one PowerShell process. Run by bench/groups/Trading.ps1 in a child pwsh; prints one JSON object
    (milliseconds per call: median, p90 and the baseline's median).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Warmup = 20,
    [int] $Count = 300
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$home_ = Join-Path ([IO.Path]::GetTempPath()) ("ct-bench-trading-" + [Guid]::NewGuid().ToString('N'))
$env:CRYPTOTRADER_HOME = $home_
# A fresh 32-byte Fernet key (URL-safe base64) in the development-only environment key store.
$keyBytes = [byte[]]::new(32)
[Security.Cryptography.RandomNumberGenerator]::Fill($keyBytes)
$env:CRYPTOTRADER_MASTER_KEY = [Convert]::ToBase64String($keyBytes).Replace('+', '-').Replace('/', '_')

function Get-Percentile {
    param([double[]] $Sorted, [double] $P)
    $index = [Math]::Min($Sorted.Count - 1, [Math]::Max(0, [int][Math]::Ceiling($P * $Sorted.Count) - 1))
    return $Sorted[$index]
}

function Measure-Call {
    param([scriptblock] $Call, [int] $Times)
    $ms = [double[]]::new($Times)
    $clock = [Diagnostics.Stopwatch]::new()
    for ($i = 0; $i -lt $Times; $i++) {
        $clock.Restart()
        & $Call
        $clock.Stop()
        $ms[$i] = $clock.Elapsed.TotalMilliseconds
    }
    [Array]::Sort($ms)
    return , $ms
}

try {
    Import-Module $ModulePath -WarningAction SilentlyContinue
    $common = @{ WarningAction = 'SilentlyContinue' }
    $secret = ConvertTo-SecureString 'paper-bench-secret' -AsPlainText -Force
    $null = Set-CtApiKey -Exchange paper -ApiKey 'paper-bench-key' -ApiSecret $secret -Confirm:$false @common
    $null = Reset-CtPaperAccount -Balance @{ USD = 1000000000 } -Confirm:$false @common
    Set-CtPaperPrice -Symbol BTC-USD -Price 65000 @common
    $null = Grant-CtTrading -Exchange paper -Confirm:$false @common

    $trade = { $null = Invoke-CtTrade -Exchange paper -Symbol BTC-USD -Side Buy -Quantity 0.0001 -Confirm:$false -WarningAction SilentlyContinue }
    $baseline = { $null = Get-Random -Maximum 100 }

    $null = Measure-Call $trade $Warmup
    $null = Measure-Call $baseline $Warmup
    $trades = Measure-Call $trade $Count
    $baselines = Measure-Call $baseline $Count

    $records = @(Get-CtAuditLog -EventType TRADE_EXECUTED -WarningAction SilentlyContinue)
    if ($records.Count -ne $Warmup + $Count) { throw "Expected $($Warmup + $Count) TRADE_EXECUTED records, found $($records.Count)." }

    [ordered]@{
        count             = $Count
        warmup            = $Warmup
        trade_median_ms   = Get-Percentile $trades 0.5
        trade_p90_ms      = Get-Percentile $trades 0.9
        trade_min_ms      = $trades[0]
        baseline          = 'Get-Random -Maximum 100'
        baseline_median_ms = Get-Percentile $baselines 0.5
        baseline_p90_ms   = Get-Percentile $baselines 0.9
        powershell        = $PSVersionTable.PSVersion.ToString()
    } | ConvertTo-Json
}
finally {
    Remove-Module CryptoTrader -ErrorAction Ignore
    [GC]::Collect()
    Remove-Item $home_ -Recurse -Force -ErrorAction Ignore
}
