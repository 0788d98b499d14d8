<#
.SYNOPSIS
    Runbooks at once: 8 pwsh processes, each placing 100 paper trades at the same time on one data folder, against
    raw SQLite durable commits from 8 processes at once (bench/python/sqlite_commits_bench.py), alternated round by
    round in the same run. Fails when a trade fails, a process dies or the audit chain does not verify afterwards.
    Returns a section object for docs/performance.md.
#>
param([string] $Configuration, [string] $ArtifactsPath)

$processes = 8
$tradesEach = 100
$rounds = 3

$module = Get-BuiltModule
$pwsh = Get-ChildPwsh
$python = Find-Python
$runbook = Join-Path $BenchRoot 'pwsh/runbook_trades.ps1'

# Runs a script in a child pwsh with the benchmark's data folder and key; returns its output, throws on failure.
function Invoke-BenchPwsh {
    param([string] $Script)
    $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $Script 2>&1
    if ($LASTEXITCODE -ne 0) { throw "A setup pwsh failed with exit code ${LASTEXITCODE}: $output" }
    return $output
}

function Start-Runbook {
    param([string] $ReadyFile, [string] $StartFile)
    $info = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($argument in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $runbook, '-ModulePath', $module,
            '-ReadyFile', $ReadyFile, '-StartFile', $StartFile, '-Count', $tradesEach)) {
        $info.ArgumentList.Add([string] $argument)
    }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($info)
    # Read both streams as they come, so a full pipe never blocks the child.
    [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Errors = $process.StandardError.ReadToEndAsync() }
}

# One round: all runbooks started, imported and ready, then released together. Returns trades per second and the
# trade times (ms) from every runbook.
function Invoke-RunbookRound {
    param([int] $Round)
    $signals = Join-Path $work "round$Round"
    New-Item -ItemType Directory -Path $signals | Out-Null
    $startFile = Join-Path $signals 'start'
    $runbooks = @(1..$processes | ForEach-Object { Start-Runbook -ReadyFile (Join-Path $signals "ready$_") -StartFile $startFile })
    try {
        $deadline = [DateTime]::UtcNow.AddMinutes(3)
        while (@(Get-ChildItem $signals -Filter 'ready*').Count -lt $processes) {
            $dead = @($runbooks | Where-Object { $_.Process.HasExited })
            if ($dead.Count -gt 0) { throw "A runbook ended before it was ready: $($dead[0].Errors.Result) $($dead[0].Output.Result)" }
            if ([DateTime]::UtcNow -gt $deadline) { throw 'The runbooks were not ready within 3 minutes.' }
            Start-Sleep -Milliseconds 20
        }
        New-Item -ItemType File -Path $startFile | Out-Null
        foreach ($runbook in $runbooks) {
            if (-not $runbook.Process.WaitForExit(600000)) { throw "Runbook $($runbook.Process.Id) did not finish within 10 minutes." }
        }
    }
    finally {
        foreach ($runbook in $runbooks) { if (-not $runbook.Process.HasExited) { $runbook.Process.Kill() } }
    }
    $results = foreach ($runbook in $runbooks) {
        $output = $runbook.Output.Result
        if ($runbook.Process.ExitCode -ne 0) { throw "Runbook $($runbook.Process.Id) failed (exit code $($runbook.Process.ExitCode)): $($runbook.Errors.Result) $output" }
        $output | ConvertFrom-Json
    }
    $failed = @($results | Where-Object { $_.failures -gt 0 })
    if ($failed.Count -gt 0) {
        throw "$(($results | Measure-Object failures -Sum).Sum) of $($processes * $tradesEach) trades failed in round ${Round}: $($failed[0].errors -join ' | ')"
    }
    $seconds = (($results | Measure-Object finished -Maximum).Maximum - ($results | Measure-Object started -Minimum).Minimum) / 1e7
    [pscustomobject]@{ TradesPerSecond = $processes * $tradesEach / $seconds; TradeMs = @($results | ForEach-Object { $_.trade_ms }) }
}

function Invoke-RawCommitRound {
    $output = & $python (Join-Path $BenchRoot 'python/sqlite_commits_bench.py') $processes $tradesEach
    if ($LASTEXITCODE -ne 0) { throw "sqlite_commits_bench.py failed with exit code $LASTEXITCODE." }
    $result = ($output -join "`n") | ConvertFrom-Json
    if ($result.failures -ne 0 -or $result.rows -ne $processes * $tradesEach) { throw "Raw SQLite: $($result.failures) commits failed, $($result.rows) rows stored." }
    return $result
}

$saved = @{ CRYPTOTRADER_HOME = $env:CRYPTOTRADER_HOME; CRYPTOTRADER_MASTER_KEY = $env:CRYPTOTRADER_MASTER_KEY }
$work = Join-Path ([IO.Path]::GetTempPath()) ('ct-bench-runbooks-' + [Guid]::NewGuid().ToString('N'))
$load = [Collections.Generic.List[string]]::new()
try {
    New-Item -ItemType Directory -Path $work | Out-Null
    # The children inherit these: one data folder (with one paper key, a large balance, a price and a trading grant
    # without limits) and the key of its development-only environment key store.
    $env:CRYPTOTRADER_HOME = Join-Path $work 'home'
    $env:CRYPTOTRADER_MASTER_KEY = New-BenchMasterKey
    $null = Invoke-BenchPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$module' -WarningAction SilentlyContinue
`$null = Set-CtApiKey -Exchange paper -ApiKey runbook-bench -ApiSecret (ConvertTo-SecureString runbook-bench-secret -AsPlainText -Force) -Confirm:`$false -WarningAction SilentlyContinue
`$null = Reset-CtPaperAccount -Balance @{ USD = 1000000000 } -Confirm:`$false -WarningAction SilentlyContinue
Set-CtPaperPrice -Symbol BTC-USD -Price 65000 -WarningAction SilentlyContinue
`$null = Grant-CtTrading -Exchange paper -Confirm:`$false -WarningAction SilentlyContinue
"@

    $raw = [Collections.Generic.List[object]]::new()
    $ours = [Collections.Generic.List[object]]::new()
    for ($round = 1; $round -le $rounds; $round++) {
        $load.Add((Get-LoadAverage))
        $raw.Add((Invoke-RawCommitRound))
        $ours.Add((Invoke-RunbookRound -Round $round))
    }
    $load.Add((Get-LoadAverage))

    # Afterwards, through the cmdlets a user runs: every trade recorded, and the whole chain valid.
    $check = Invoke-BenchPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$module' -WarningAction SilentlyContinue
`$verification = Test-CtAuditLog -WarningAction SilentlyContinue
[ordered]@{ valid = `$verification.IsValid; reason = `$verification.Reason; records = `$verification.RecordCount
    executed = @(Get-CtAuditLog -EventType TRADE_EXECUTED -WarningAction SilentlyContinue).Count } | ConvertTo-Json -Compress
"@
    $chain = ($check | Select-Object -Last 1) | ConvertFrom-Json
}
finally {
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}

$expected = $rounds * $processes * $tradesEach
if (-not $chain.valid) { throw "The audit log does not verify after the runbooks: $($chain.reason)" }
if ($chain.executed -ne $expected) { throw "Expected $expected TRADE_EXECUTED records after the runbooks, found $($chain.executed)." }

$tradeRate = Get-Median @($ours | ForEach-Object { $_.TradesPerSecond })
$rawRate = Get-Median @($raw | ForEach-Object { $_.commits_per_second })
$ratio = $tradeRate / $rawRate
$latencies = [double[]] @($ours | ForEach-Object { $_.TradeMs })
[Array]::Sort($latencies)
function Format-Ms([double] $ms) { $ms.ToString('0.0', $Invariant) + ' ms' }
function Format-Rates([object[]] $Rates) { ($Rates | ForEach-Object { Format-Rate $_ }) -join ', ' }

[pscustomobject]@{
    Title       = 'Runbooks at once'
    Description = @(
        "What users feel: several scheduled runbooks trading on one data folder at the same moment. $processes child processes"
        '(`pwsh -NoProfile -NonInteractive -File bench/pwsh/runbook_trades.ps1`) import the module and read their paper balance'
        '(`Get-CtBalance`: the start-up cost is the cold-start benchmark''s), wait until all are ready, then each'
        "places $tradesEach trades one after another with ``Invoke-CtTrade -Exchange paper -Symbol BTC-USD -Side Buy -Quantity 0.0001 -Confirm:`$false``"
        'on one data folder (one paper key, a trading grant without limits, the environment key store). A trade is one durable'
        'write transaction (TRADE_REQUESTED, the fill and TRADE_EXECUTED) under the exclusively held head file, so the processes queue'
        'for the head file and the database''s write lock.'
        'Trades/s = all trades ÷ the time from the first runbook''s start to the last one''s end.'
        "Baseline: raw SQLite durable commits from $processes Python processes at once (``bench/python/sqlite_commits_bench.py``: WAL,"
        "``synchronous = FULL``, one audit-sized row per ``BEGIN IMMEDIATE … COMMIT``, $tradesEach each) on a new database in the same temp folder:"
        'the rate the disk and SQLite''s lock allow, with nothing of CryptoTrader''s work.'
        "$rounds rounds, each side once per round, alternated; medians. Every round must place all trades without an error, and afterwards"
        '`Test-CtAuditLog` must find the whole chain valid and `Get-CtAuditLog -EventType TRADE_EXECUTED` every trade: otherwise the group fails.'
        'Target (issue 15): 0 failures and a valid chain; the trade rate is reported against the raw commit rate, with no number'
        'set for it (the module''s own work per trade — gate, MACs, head file, pwsh — on top of the commit, and the writers'
        'waiting for one another). Rates of each round: raw SQLite'
        "$(Format-Rates @($raw | ForEach-Object { $_.commits_per_second })) commits/s, CryptoTrader $(Format-Rates @($ours | ForEach-Object { $_.TradesPerSecond })) trades/s;"
        "load average before each round and at the end: $($load -join ' → ')."
    ) -join "`n"
    Environment = @("PowerShell $($PSVersionTable.PSVersion)", "Python $($raw[0].python), SQLite $($raw[0].sqlite) (baseline)")
    Rows        = @([pscustomobject][ordered]@{
            'Benchmark'                   = "$processes runbooks × $tradesEach paper trades"
            'CryptoTrader (trades/s)'     = Format-Rate $tradeRate
            'Raw SQLite (commits/s)'      = Format-Rate $rawRate
            'Ratio'                       = $ratio.ToString('0.00', $Invariant) + 'x'
            'Target'                      = '0 failures, chain valid'
            # The group throws before this on any failure or an invalid chain.
            'Met'                         = 'yes'
            'Failures'                    = '0 of ' + $expected.ToString('N0', $Invariant)
            'Trade median / p90 (busy)'   = (Format-Ms (Get-Median $latencies)) + ' / ' + (Format-Ms $latencies[[int][Math]::Ceiling(0.9 * $latencies.Count) - 1])
        })
}
