<#
.SYNOPSIS
    Key rotation: CryptoTrader's KeyRotation.Rotate (Update-CtEncryptionKey) over 10,000 stored credentials against
    Python cryptography's MultiFernet.rotate over 10,000 tokens of the same size, in the same run.
    Returns a section object for docs/performance.md.
#>
param([string] $Configuration, [string] $ArtifactsPath)

$credentials = 10000
$target = 5

$dotnet = @(Invoke-DotNetBenchmark -Filter '*RotationBenchmarks*' -Configuration $Configuration -ArtifactsPath $ArtifactsPath)
$python = Invoke-PythonBaseline -Script 'rotation_bench.py'

$result = $dotnet | Where-Object { $_.Method -eq 'Rotate10k' }
if (@($result).Count -ne 1) { throw 'No BenchmarkDotNet result for RotationBenchmarks.Rotate10k.' }
if (-not $python.PSObject.Properties['rotate_10k']) { throw 'rotation_bench.py gave no figure.' }

# One "operation" is one credential re-encrypted: seconds per rotation of all 10,000 ÷ 10,000.
$row = New-ComparisonRow -Benchmark "Rotate $($credentials.ToString('N0', $Invariant)) credentials" `
    -Seconds ($result.MedianSeconds / $credentials) -Rsd $result.Rsd `
    -BaselineName 'Python' -BaselineSeconds ($python.rotate_10k / $credentials) -BaselineRsd $python.rotate_10k_rsd `
    -TargetRatio $target -AllocatedBytes $null
[pscustomobject]@{
    Title       = 'Encryption key rotation'
    Description = @(
        '`KeyRotation.Rotate` (the core of `Update-CtEncryptionKey`): in one SQLite write transaction (WAL, synchronous=FULL),'
        "$($credentials.ToString('N0', $Invariant)) stored credentials read, re-encrypted under a new primary key, the key ring saved to the key store and the new tokens committed;"
        'then the old key retired and an audit record written. Each credential is a Coinbase CDP key (an'
        '`organizations/…/apiKeys/…` name as API key, a 227-byte EC PEM secret): its token is ' + "$($python.token_chars) characters of text,"
        'stored as its bytes (the base64url decoded; migration 7).'
        'Each measured run gets a fresh data folder whose credentials are written in the (untimed) setup, and an in-memory key store.'
        'Baseline: Python `MultiFernet([new, old]).rotate` over 10,000 tokens of the same payload size made with the old key'
        '(in memory only: no storage, no transactions), timed in the same run.'
        'CryptoTrader figure: BenchmarkDotNet median of 7 single runs after 1 warm-up; Python: median of 5 runs after 1 warm-up.'
        'ops/s = credentials re-encrypted per second. Ratio = CryptoTrader ops/s ÷ Python ops/s.'
        "Median time for all $($credentials.ToString('N0', $Invariant)): CryptoTrader $($result.MedianSeconds.ToString('0.000', $Invariant)) s, Python $(([double]$python.rotate_10k).ToString('0.000', $Invariant)) s."
    ) -join "`n"
    Environment = @(
        $dotnet[0].Runtime
        "Python $($python.python), cryptography $($python.cryptography)"
    )
    Rows        = @($row)
}
