<#
.SYNOPSIS
    Times Sync-CtMarketData of one year of one-minute candles from the Coinbase stand-in, then Invoke-CtBacktest of a
    moving-average strategy over those 525,600 candles against the same strategy called from a plain PowerShell
    foreach over the same candles, in this one process. Run by bench/groups/MarketData.ps1 in a child pwsh whose
    SSL_CERT_FILE trusts the stand-in; prints one JSON object (seconds).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $StubUrl,
    [Parameter(Mandatory)] [string] $KeyName,
    [Parameter(Mandatory)] [string] $KeyFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$dataHome = Join-Path ([IO.Path]::GetTempPath()) ("ct-bench-marketdata-" + [Guid]::NewGuid().ToString('N'))
$env:CRYPTOTRADER_HOME = $dataHome
$keyBytes = [byte[]]::new(32)
[Security.Cryptography.RandomNumberGenerator]::Fill($keyBytes)
$env:CRYPTOTRADER_MASTER_KEY = [Convert]::ToBase64String($keyBytes).Replace('+', '-').Replace('/', '_')

# The strategy both sides run: a 10/50 moving-average crossover on the closes, 0.1 BTC at a time.
$strategy = {
    $slow = $Backtest.Close(50)
    if ($slow.Count -lt 50) { return }
    $fast = [Linq.Enumerable]::Average([decimal[]] $Backtest.Close(10))
    if ($fast -gt [Linq.Enumerable]::Average($slow)) {
        if ($Backtest.Position -eq 0) { $Backtest.Buy(0.1) }
    }
    elseif ($Backtest.Position -gt 0) { $Backtest.Sell($Backtest.Position) }
}

# What the plain loop gives the strategy as $Backtest: the closes so far, and orders filled at the next open with the fee.
# Compiled, so its method calls cost what the engine's do: the comparison is the loop and the strategy calls, not the bookkeeping.
Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;

public sealed class LoopBacktest
{
    private readonly List<decimal> closes = new List<decimal>();
    private readonly List<decimal> pending = new List<decimal>();

    public decimal Position { get; private set; }

    public decimal Usd { get; private set; } = 10000m;

    public int Orders { get; private set; }

    public decimal[] Close(int count)
    {
        var taken = Math.Min(count, closes.Count);
        return closes.GetRange(closes.Count - taken, taken).ToArray();
    }

    public void Buy(decimal quantity) { pending.Add(quantity); Orders++; }

    public void Sell(decimal quantity) { pending.Add(-quantity); Orders++; }

    public void Advance(decimal open, decimal close)
    {
        foreach (var quantity in pending)
        {
            var value = quantity * open;
            var fee = Math.Abs(value) * 0.006m;
            if ((quantity > 0m && Usd >= value + fee) || (quantity < 0m && Position >= -quantity))
            {
                Usd -= value + fee;
                Position += quantity;
            }
        }
        pending.Clear();
        closes.Add(close);
    }
}
'@

function Invoke-Loop($Candles) {
    $Backtest = [LoopBacktest]::new()
    foreach ($Candle in $Candles) {
        $Backtest.Advance($Candle.Open, $Candle.Close)
        & $strategy
    }
    return $Backtest
}

function Invoke-Backtest([datetime] $Start, [datetime] $End) {
    Invoke-CtBacktest -Exchange coinbase -Symbol BTC-USD -Granularity OneMinute -Start $Start -End $End -Strategy $strategy
}

try {
    Import-Module $ModulePath
    $common = @{ WarningAction = 'SilentlyContinue' }
    $null = Set-CtConfig -CoinbaseBaseUrl $StubUrl -Confirm:$false @common
    $secret = ConvertTo-SecureString (Get-Content $KeyFile -Raw) -AsPlainText -Force
    $null = Set-CtApiKey -Exchange coinbase -ApiKey $KeyName -ApiSecret $secret -Confirm:$false @common

    $start = [datetime]::new(2023, 1, 1, 0, 0, 0, [DateTimeKind]::Utc)
    $end = $start.AddDays(365)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $sync = Sync-CtMarketData -Exchange coinbase -Symbol BTC-USD -Granularity OneMinute -Start $start -End $end -Confirm:$false @common
    $syncSeconds = $clock.Elapsed.TotalSeconds
    if ($sync.Added -ne 525600) { throw "The sync stored $($sync.Added) candles, not 525,600." }

    $clock.Restart()
    $candles = Get-CtCandle -Exchange coinbase -Symbol BTC-USD -Granularity OneMinute
    $loadSeconds = $clock.Elapsed.TotalSeconds
    if ($candles.Count -ne 525600) { throw "Get-CtCandle read $($candles.Count) candles, not 525,600." }

    # Warm up both sides on a day of candles (script compilation, JIT), then time the year, the loop first.
    $null = Invoke-Backtest $start $start.AddDays(1)
    $null = Invoke-Loop $candles[0..1439]
    [GC]::Collect()
    $clock.Restart()
    $loop = Invoke-Loop $candles
    $loopSeconds = $clock.Elapsed.TotalSeconds
    [GC]::Collect()
    $clock.Restart()
    $result = Invoke-Backtest $start $end
    $backtestSeconds = $clock.Elapsed.TotalSeconds
    if ($result.Candles -ne 525600) { throw "The backtest replayed $($result.Candles) candles, not 525,600." }
    if ($result.Trades.Count -ne $loop.Orders) { throw "The backtest placed $($result.Trades.Count) orders, the loop $($loop.Orders): not the same strategy run." }

    [ordered]@{
        candles           = $result.Candles
        requests          = [int][Math]::Ceiling(525600 / 350)
        sync_seconds      = $syncSeconds
        load_seconds      = $loadSeconds
        backtest_seconds  = $backtestSeconds
        loop_seconds      = $loopSeconds
        orders            = $result.Trades.Count
        powershell        = $PSVersionTable.PSVersion.ToString()
    } | ConvertTo-Json
}
finally {
    Remove-Module CryptoTrader -ErrorAction Ignore
    [GC]::Collect()
    Remove-Item $dataHome -Recurse -Force -ErrorAction Ignore
}
