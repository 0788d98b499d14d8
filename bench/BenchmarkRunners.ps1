# Shared helpers for the benchmark groups under bench/groups; dot-sourced by Invoke-Benchmarks.ps1.

$BenchRoot = $PSScriptRoot
$RepoRoot = Split-Path $BenchRoot -Parent
$Invariant = [Globalization.CultureInfo]::InvariantCulture

# Runs the BenchmarkDotNet project for one filter and returns one object per benchmark case
# (Type, Method, Parameters such as 'PayloadSize=64', MedianSeconds, Rsd (StdDev/Mean), AllocatedBytes, Runtime).
# Medians, not means: on a shared machine a few descheduled iterations would otherwise drag a mean far off.
function Invoke-DotNetBenchmark {
    param([string] $Filter, [string] $Configuration, [string] $ArtifactsPath)
    if (Test-Path $ArtifactsPath) { Remove-Item $ArtifactsPath -Recurse -Force }
    $project = Join-Path $BenchRoot 'CryptoTrader.Benchmarks/CryptoTrader.Benchmarks.csproj'
    & dotnet run -c $Configuration --project $project -- --filter $Filter --artifacts $ArtifactsPath | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "BenchmarkDotNet ($Filter) failed with exit code $LASTEXITCODE." }

    $reports = @(Get-ChildItem (Join-Path $ArtifactsPath 'results') -Filter '*-report-brief.json' -ErrorAction Ignore)
    if ($reports.Count -eq 0) { throw "BenchmarkDotNet ($Filter) wrote no JSON report." }
    foreach ($report in $reports) {
        $json = Get-Content $report.FullName -Raw | ConvertFrom-Json
        foreach ($benchmark in $json.Benchmarks) {
            [pscustomobject]@{
                Type           = $benchmark.Type
                Method         = $benchmark.Method
                Parameters     = $benchmark.Parameters
                MedianSeconds  = $benchmark.Statistics.Median / 1e9
                Rsd            = $benchmark.Statistics.StandardDeviation / $benchmark.Statistics.Mean
                AllocatedBytes = $benchmark.Memory.BytesAllocatedPerOperation
                Runtime        = "$($json.HostEnvironmentInfo.RuntimeVersion), BenchmarkDotNet $($json.HostEnvironmentInfo.BenchmarkDotNetVersion)"
            }
        }
    }
}

# The first python3 that can import 'cryptography' (Debian's python3-cryptography, as the tests use).
function Find-Python {
    foreach ($candidate in '/usr/bin/python3', 'python3') {
        if (-not (Get-Command $candidate -ErrorAction Ignore)) { continue }
        & $candidate -c 'import cryptography' 2>$null
        if ($LASTEXITCODE -eq 0) { return $candidate }
    }
    throw "No python3 with the 'cryptography' package was found (apt-get install python3-cryptography)."
}

# Runs a Python baseline script from bench/python and returns its JSON output as an object.
function Invoke-PythonBaseline {
    param([string] $Script)
    $python = Find-Python
    $output = & $python (Join-Path $BenchRoot "python/$Script")
    if ($LASTEXITCODE -ne 0) { throw "$Script failed with exit code $LASTEXITCODE." }
    return ($output -join "`n") | ConvertFrom-Json
}

function Format-Rate {
    param([double] $OpsPerSecond)
    $format = if ($OpsPerSecond -lt 100) { 'N1' } else { 'N0' }
    return $OpsPerSecond.ToString($format, $Invariant)
}

# One table row comparing CryptoTrader with a baseline measured in the same run: times in seconds per
# operation, Rsd the relative standard deviation of each side's measurements.
function New-ComparisonRow {
    param(
        [string] $Benchmark, [double] $Seconds, [double] $Rsd, [string] $BaselineName, [double] $BaselineSeconds,
        [double] $BaselineRsd, [double] $TargetRatio, [object] $AllocatedBytes
    )
    $rate = 1 / $Seconds
    $baselineRate = 1 / $BaselineSeconds
    $ratio = $rate / $baselineRate
    [pscustomobject][ordered]@{
        'Benchmark'             = $Benchmark
        'CryptoTrader (ops/s)'  = Format-Rate $rate
        "$BaselineName (ops/s)" = Format-Rate $baselineRate
        'Ratio'                 = $ratio.ToString('0.00', $Invariant) + 'x'
        'Target'                = '≥ ' + $TargetRatio.ToString('0.##', $Invariant) + 'x'
        'Met'                   = if ($ratio -ge $TargetRatio) { 'yes' } else { 'no' }
        "Noise (CryptoTrader / $BaselineName)" = $Rsd.ToString('0%', $Invariant) + ' / ' + $BaselineRsd.ToString('0%', $Invariant)
        'CryptoTrader alloc/op' = if ($null -eq $AllocatedBytes) { 'n/a' } else { ([long] $AllocatedBytes).ToString('N0', $Invariant) + ' B' }
    }
}

function Format-Duration {
    param([double] $Seconds)
    if ($Seconds -ge 1) { return $Seconds.ToString('0.00', $Invariant) + ' s' }
    if ($Seconds -ge 1e-3) { return ($Seconds * 1e3).ToString('0.0', $Invariant) + ' ms' }
    return ($Seconds * 1e6).ToString('0.0', $Invariant) + ' µs'
}

# One table row for an operation with a time budget rather than a baseline: Ratio = time ÷ budget (≤ 1 meets it).
function New-TimeTargetRow {
    param([string] $Benchmark, [double] $Seconds, [double] $Rsd, [double] $TargetSeconds, [object] $AllocatedBytes)
    $ratio = $Seconds / $TargetSeconds
    [pscustomobject][ordered]@{
        'Benchmark'             = $Benchmark
        'CryptoTrader (time/op)' = Format-Duration $Seconds
        'Target'                = '≤ ' + (Format-Duration $TargetSeconds)
        'Ratio'                 = $ratio.ToString('0.00', $Invariant)
        'Met'                   = if ($ratio -le 1) { 'yes' } else { 'no' }
        'Noise'                 = $Rsd.ToString('0%', $Invariant)
        'CryptoTrader alloc/op' = if ($null -eq $AllocatedBytes) { 'n/a' } else { ([long] $AllocatedBytes).ToString('N0', $Invariant) + ' B' }
    }
}

function Get-Median {
    param([double[]] $Values)
    $sorted = [double[]] ($Values | Sort-Object)
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2 -eq 1) { return $sorted[$middle] }
    return ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

function Get-LoadAverage {
    ((Get-Content /proc/loadavg -Raw) -split ' ')[0..2] -join ', '
}

# The command line that starts a child pwsh of the same version as this one (the .NET local tool's, which runs
# as `dotnet pwsh.dll`): the program, then the arguments that go before pwsh's own.
function Get-ChildPwsh {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'pwsh') { return @($process) }
    return @($process, (Join-Path $PSHOME 'pwsh.dll'))
}

# The built module's manifest; the Bench task builds it first.
function Get-BuiltModule {
    $module = Join-Path $RepoRoot 'out/CryptoTrader/CryptoTrader.psd1'
    if (-not (Test-Path $module)) { throw "The module is not built ($module): run ./build.ps1 Build (the Bench task does)." }
    return $module
}

# A fresh URL-safe base64 Fernet key for the development-only environment key store of a benchmark's data folder.
function New-BenchMasterKey {
    $keyBytes = [byte[]]::new(32)
    [Security.Cryptography.RandomNumberGenerator]::Fill($keyBytes)
    return [Convert]::ToBase64String($keyBytes).Replace('+', '-').Replace('/', '_')
}
