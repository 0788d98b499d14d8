<#
.SYNOPSIS
    Key rotation: CryptoTrader's KeyRotation.Rotate (Update-CtEncryptionKey) over 10,000 stored credentials against
    Python cryptography's MultiFernet.rotate over 10,000 tokens of the same size, in the same run.
    Returns a section object for docs/performance.md.
#>
param([string] $Configuration, [string] $ArtifactsPath)

$credentials = 10000
$targetSeconds = 1

$loadAtStart = Get-LoadAverage
$dotnet = @(Invoke-DotNetBenchmark -Filter '*RotationBenchmarks*' -Configuration $Configuration -ArtifactsPath $ArtifactsPath)
$python = Invoke-PythonBaseline -Script 'rotation_bench.py'

$result = $dotnet | Where-Object { $_.Method -eq 'Rotate10k' }
if (@($result).Count -ne 1) { throw 'No BenchmarkDotNet result for RotationBenchmarks.Rotate10k.' }
if (-not $python.PSObject.Properties['rotate_10k']) { throw 'rotation_bench.py gave no figure.' }

# Two conditions: the whole rotation within the time budget, and faster than Python's in-memory MultiFernet.rotate.
$seconds = $result.MedianSeconds
$pythonSeconds = [double] $python.rotate_10k
$ratio = $pythonSeconds / $seconds
$row = [pscustomobject][ordered]@{
    'Benchmark'                = "Rotate $($credentials.ToString('N0', $Invariant)) credentials"
    'CryptoTrader'             = Format-Duration $seconds
    'Python MultiFernet.rotate' = Format-Duration $pythonSeconds
    'Ratio'                    = $ratio.ToString('0.00', $Invariant) + 'x'
    'Target'                   = '≤ ' + (Format-Duration $targetSeconds) + ' and > 1x'
    'Met'                      = if ($seconds -le $targetSeconds -and $ratio -gt 1) { 'yes' } else { 'no' }
    'Noise (CryptoTrader / Python)' = $result.Rsd.ToString('0%', $Invariant) + ' / ' + ([double] $python.rotate_10k_rsd).ToString('0%', $Invariant)
    'Credentials/s (CryptoTrader / Python)' = (Format-Rate ($credentials / $seconds)) + ' / ' + (Format-Rate ($credentials / $pythonSeconds))
}
[pscustomobject]@{
    Title       = 'Encryption key rotation'
    Description = @(
        'What users feel: `Update-CtEncryptionKey` holds the database''s write lock while it runs, so every other command waits for it.'
        '`KeyRotation.Rotate` (the core of `Update-CtEncryptionKey`): in one SQLite write transaction (WAL, synchronous=FULL),'
        "$($credentials.ToString('N0', $Invariant)) stored credentials read, re-encrypted under a new primary key, the key ring saved to the key store and the new tokens committed;"
        'then the old key retired and an audit record written. Each credential is a Coinbase CDP key (an'
        '`organizations/…/apiKeys/…` name as API key, a 227-byte EC PEM secret): its token is ' + "$($python.token_chars) characters of text,"
        'stored as its bytes (the base64url decoded; migration 7).'
        'Each measured run gets a fresh data folder whose credentials are written in the (untimed) setup, and an in-memory key store.'
        'Baseline: Python `MultiFernet([new, old]).rotate` over 10,000 tokens of the same payload size made with the old key'
        '(in memory only: no storage, no transactions), timed in the same run.'
        'CryptoTrader figure: BenchmarkDotNet median of 7 single runs after 1 warm-up; Python: median of 5 runs after 1 warm-up.'
        'Ratio = Python time ÷ CryptoTrader time (above 1: CryptoTrader is faster).'
        "Target: all $($credentials.ToString('N0', $Invariant)) within $targetSeconds s, and faster than Python. Load average: $loadAtStart before, $(Get-LoadAverage) after."
    ) -join "`n"
    Environment = @(
        $dotnet[0].Runtime
        "Python $($python.python), cryptography $($python.cryptography)"
    )
    Rows        = @($row)
}
