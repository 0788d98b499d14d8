<#
.SYNOPSIS
    Fernet encrypt/decrypt: CryptoTrader (BenchmarkDotNet) against Python's cryptography, in the same run.
    Returns a section object for docs/performance.md.
#>
param([string] $Configuration, [string] $ArtifactsPath)

$cases = @(
    @{ Size = 64; Label = '64 B'; Python = '64'; Target = 3 }
    @{ Size = 1048576; Label = '1 MiB'; Python = '1mib'; Target = 3 }
)

$loadAtStart = Get-LoadAverage
$dotnet = @(Invoke-DotNetBenchmark -Filter '*FernetBenchmarks*' -Configuration $Configuration -ArtifactsPath $ArtifactsPath)
$python = Invoke-PythonBaseline -Script 'fernet_bench.py'

$rows = foreach ($operation in 'Encrypt', 'Decrypt') {
    foreach ($case in $cases) {
        $result = $dotnet | Where-Object { $_.Method -eq $operation -and $_.Parameters -eq "PayloadSize=$($case.Size)" }
        if (@($result).Count -ne 1) { throw "No BenchmarkDotNet result for FernetBenchmarks.$operation, PayloadSize=$($case.Size)." }
        $key = "$($operation.ToLowerInvariant())_$($case.Python)"
        if (-not $python.PSObject.Properties[$key]) { throw "fernet_bench.py gave no figure for $operation $($case.Label)." }
        New-ComparisonRow -Benchmark "$operation $($case.Label)" -Seconds $result.MedianSeconds -Rsd $result.Rsd `
            -BaselineName 'Python' -BaselineSeconds $python.$key -BaselineRsd $python."${key}_rsd" `
            -TargetRatio $case.Target -AllocatedBytes $result.AllocatedBytes
    }
}

[pscustomobject]@{
    Title       = 'Fernet encryption'
    Description = @(
        'What users feel: every trade and every exchange read (`Get-CtBalance`, `Get-CtTicker`) decrypts one stored credential, `Set-CtApiKey` encrypts one,'
        'and a key rotation does both for every stored key. 64 B is the size of an API key or secret alone; 1 MiB shows the'
        'per-byte cost (AES-CBC, HMAC and base64url) without the per-token overhead.'
        '`Fernet.Encrypt(key, payload)` and `Fernet.Decrypt(key, token)` (no TTL) on random payloads of 64 B and 1 MiB;'
        'every token gets a fresh IV and timestamp, the key is generated once. The 1 MiB cases are why encrypt writes the token'
        'text in steps (`FernetTokenWriter`), and decoding is Microsoft.Bcl.Memory''s `Base64Url` (see "Faster pieces kept").'
        'Baseline: Python `cryptography.fernet.Fernet.encrypt`/`decrypt` on the same sizes, timed in the same run.'
        'CryptoTrader figures are BenchmarkDotNet medians (in-process, 1 launch, 3 warm-up and 10 measured iterations);'
        'Python figures are the median of 7 `timeit` runs of about 0.3 s each. Ratio = CryptoTrader ops/s ÷ Python ops/s;'
        "target: at least 3× Python ``cryptography`` for every case. Load average: $loadAtStart before, $(Get-LoadAverage) after."
    ) -join "`n"
    Environment = @(
        $dotnet[0].Runtime
        "Python $($python.python), cryptography $($python.cryptography)"
    )
    Rows        = @($rows)
}
