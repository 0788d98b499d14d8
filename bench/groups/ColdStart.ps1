<#
.SYNOPSIS
    Cold start: a whole new pwsh process that imports CryptoTrader and runs Get-CtApiKey, against a bare pwsh
    process that does nothing, both started the same way and timed alternately in the same run.
    Returns a section object for docs/performance.md.
#>
param([string] $Configuration, [string] $ArtifactsPath)

$runs = 15
$module = Join-Path $RepoRoot 'out/CryptoTrader/CryptoTrader.psd1'
if (-not (Test-Path $module)) { throw "The module is not built ($module): run ./build.ps1 Build (the Bench task does)." }

# The same pwsh as this one (the .NET local tool), started as `dotnet pwsh.dll` when this one is.
$process = [Environment]::ProcessPath
[string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($process) -ne 'pwsh') { Join-Path $PSHOME 'pwsh.dll' } else { @() }

function Measure-Process {
    param([string] $Command)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $output = & $process @prefix -NoProfile -NonInteractive -Command $Command 2>&1
    $clock.Stop()
    if ($LASTEXITCODE -ne 0) { throw "pwsh -Command '$Command' failed with exit code ${LASTEXITCODE}: $output" }
    return $clock.Elapsed.TotalMilliseconds
}

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    return $sorted[[int][Math]::Floor($sorted.Count / 2)]
}

$savedHome = $env:CRYPTOTRADER_HOME
$savedKey = $env:CRYPTOTRADER_MASTER_KEY
$dataHome = Join-Path ([IO.Path]::GetTempPath()) ('ct-bench-coldstart-' + [Guid]::NewGuid().ToString('N'))
try {
    # A data folder with one stored key, so Get-CtApiKey opens the database and reads a real row.
    $env:CRYPTOTRADER_HOME = $dataHome
    $keyBytes = [byte[]]::new(32)
    [Security.Cryptography.RandomNumberGenerator]::Fill($keyBytes)
    $env:CRYPTOTRADER_MASTER_KEY = [Convert]::ToBase64String($keyBytes).Replace('+', '-').Replace('/', '_')
    $null = Measure-Process "Import-Module '$module'; `$null = Set-CtApiKey -Exchange paper -ApiKey cold-start -ApiSecret (ConvertTo-SecureString cold-start-secret -AsPlainText -Force) -Confirm:`$false -WarningAction SilentlyContinue"

    $bare = 'exit 0'
    $withModule = "Import-Module '$module'; `$null = Get-CtApiKey -WarningAction SilentlyContinue; exit 0"
    $null = Measure-Process $bare
    $null = Measure-Process $withModule
    $bareMs = [Collections.Generic.List[double]]::new()
    $moduleMs = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $runs; $i++) {
        $bareMs.Add((Measure-Process $bare))
        $moduleMs.Add((Measure-Process $withModule))
    }
}
finally {
    $env:CRYPTOTRADER_HOME = $savedHome
    $env:CRYPTOTRADER_MASTER_KEY = $savedKey
    Remove-Item $dataHome -Recurse -Force -ErrorAction Ignore
}

$bareMedian = Get-Median $bareMs
$moduleMedian = Get-Median $moduleMs
function Format-Ms([double] $ms) { $ms.ToString('0', $Invariant) + ' ms' }

[pscustomobject]@{
    Title       = 'Cold start'
    Description = @(
        'A new process: `pwsh -NoProfile -NonInteractive -Command "Import-Module out/CryptoTrader; Get-CtApiKey"` on a data folder'
        'with one stored key (environment key store), against the baseline `pwsh -NoProfile -NonInteractive -Command "exit 0"`.'
        "Both are started the same way (the .NET local tool's pwsh) and timed alternately from start to exit, $runs times each after"
        'one warm-up of each (so the files are in the page cache: a warm disk, a cold process). Medians.'
        'Ratio = CryptoTrader ÷ baseline; "Added" is the difference, what importing the module and one command cost a script.'
    ) -join "`n"
    Environment = @("PowerShell $($PSVersionTable.PSVersion)")
    Rows        = @([pscustomobject][ordered]@{
            'Benchmark'       = 'pwsh + Import-Module + Get-CtApiKey'
            'CryptoTrader'    = Format-Ms $moduleMedian
            'Baseline (bare pwsh)' = Format-Ms $bareMedian
            'Ratio'           = ($moduleMedian / $bareMedian).ToString('0.00', $Invariant) + 'x'
            'Added'           = Format-Ms ($moduleMedian - $bareMedian)
        })
}
