# Bad input through real PowerShell: every exported cmdlet's string, number, date, time span and enum parameters get
# seeded hostile values (empty, blank, huge, control characters, NUL, odd Unicode, ../, SQL- and wildcard-shaped text,
# 1e400, -0, NaN, huge decimals, invalid paths). The cmdlets and parameters come from Get-Command, so a new cmdlet is
# fuzzed without changes here. Properties, per call:
#   - it succeeds, or fails with an ErrorRecord whose id is one of the module's ErrorIds (raised as its CtException) or
#     a PowerShell parameter-binding error: never an unhandled .NET exception (ErrorId = exception type name);
#   - when it fails, no table changed, and the audit log gained nothing but ERROR records, or for a refused or failed
#     trade, the TRADE_REQUESTED / TRADE_REJECTED / TRADE_FAILED records that document it.
# The calls run in child sessions (tests/pester/Fuzz/Invoke-CtFuzzBatch.ps1), two batches side by side.
# CI: a random seed and CT_FUZZ_PESTER_CASES (default 240) calls; replay or run longer with CT_FUZZ_PESTER_SEED and
# CT_FUZZ_PESTER_CASES (docs/fuzzing.md).

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:CmdletCases = @(Get-Command -Module CryptoTrader -CommandType Cmdlet | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Seed = if ($env:CT_FUZZ_PESTER_SEED) { [int] $env:CT_FUZZ_PESTER_SEED } else { Get-Random -Minimum 1 -Maximum ([int]::MaxValue) }
    $cases = if ($env:CT_FUZZ_PESTER_CASES) { [int] $env:CT_FUZZ_PESTER_CASES } else { 240 }
    $names = @(Get-Command -Module CryptoTrader -CommandType Cmdlet | Sort-Object Name | ForEach-Object Name)

    # Two child sessions, each with its own data folder and half of the cmdlets.
    $process = [Environment]::ProcessPath
    $prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($process) -ne 'pwsh') { Join-Path $PSHOME 'pwsh.dll' })
    $batches = foreach ($index in 0, 1) {
        $sandbox = Join-Path ([IO.Path]::GetTempPath()) ('ct-fuzz-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $sandbox | Out-Null
        $info = [Diagnostics.ProcessStartInfo]::new($process)
        foreach ($argument in $prefix + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Fuzz/Invoke-CtFuzzBatch.ps1'),
                '-ModulePath', (Get-CtModulePath), '-Seed', ($script:Seed + $index), '-Count', [Math]::Ceiling($cases / 2),
                '-ResultFile', (Join-Path $sandbox 'results.json'), '-Sandbox', $sandbox, '-Cmdlet', (($names | Where-Object { [array]::IndexOf($names, $_) % 2 -eq $index }) -join ','))) {
            $info.ArgumentList.Add("$argument")
        }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $child = [Diagnostics.Process]::Start($info)
        [pscustomobject]@{ Process = $child; Sandbox = $sandbox; Output = $child.StandardOutput.ReadToEndAsync(); Errors = $child.StandardError.ReadToEndAsync() }
    }
    $script:Results = @()
    $script:ErrorIds = @()
    $script:BatchFailures = @()
    foreach ($batch in $batches) {
        if (-not $batch.Process.WaitForExit(300000)) { $batch.Process.Kill($true) }
        $file = Join-Path $batch.Sandbox 'results.json'
        if (Test-Path $file) {
            $report = Get-Content $file -Raw | ConvertFrom-Json
            $script:Results += @($report.Results)
            $script:ErrorIds = @($report.ErrorIds)
        }
        else {
            $script:BatchFailures += "A fuzz batch (seed $($script:Seed)) ended without results (exit $($batch.Process.ExitCode)):`n$($batch.Output.Result)`n$($batch.Errors.Result)"
        }
        Remove-Item $batch.Sandbox -Recurse -Force -ErrorAction Ignore
    }
    $script:TradeOutcomeRecords = 'TRADE_REQUESTED', 'TRADE_REJECTED', 'TRADE_FAILED'

    # Why one call's outcome breaks a property, or $null.
    function Get-Problem($Result) {
        if ($Result.Succeeded) { return $null }
        $id = ($Result.ErrorId -split ',')[0]
        $binding = $Result.ExceptionBase -contains 'System.Management.Automation.ParameterBindingException'
        $own = $Result.ExceptionBase -contains 'CryptoTrader.Core.Errors.CtException' -and $script:ErrorIds -contains $id
        if (-not $id) { return 'failed with an empty FullyQualifiedErrorId' }
        if ($id -eq $Result.Exception -or $id -like 'System.*') { return "unhandled $($Result.Exception) ($($Result.Message))" }
        if (-not ($binding -or $own)) { return "ErrorId '$id' ($($Result.Exception): $($Result.Message)) is neither a CryptoTrader ErrorId nor a parameter-binding error" }
        if (@($Result.TablesChanged).Count -gt 0) { return "failed with $id but changed table(s) $($Result.TablesChanged -join ', ')" }
        $added = @($Result.AuditAdded)
        $tradeOutcome = $Result.ExceptionBase -contains 'CryptoTrader.Core.Trading.TradeRejectedException'
        if ($added.Count -gt 0 -and -not ($tradeOutcome -and -not ($added | Where-Object { $script:TradeOutcomeRecords -notcontains $_ }))) {
            return "failed with $id but added audit record(s) $($added -join ', ')"
        }
        return $null
    }
}

Describe 'Cmdlets given hostile text in their parameters (seed in the failure message)' {
    It 'every fuzz batch reports its results' {
        $script:BatchFailures | Should -BeNullOrEmpty
        $script:ErrorIds.Count | Should -BeGreaterThan 10
    }

    It '<Name> fails only with its own ErrorIds or binding errors, and changes nothing when it fails' -ForEach $script:CmdletCases {
        $mine = @($script:Results | Where-Object Cmdlet -EQ $Name)
        $mine.Count | Should -BeGreaterThan 0 -Because "every exported cmdlet is fuzzed (seed $($script:Seed))"
        $problems = @($mine | ForEach-Object {
                $problem = Get-Problem $_
                if ($problem) { "$Name -$($_.Parameter) '$($_.Value)' [$($_.Mode)]: $problem" }
            })
        $problems | Should -BeNullOrEmpty -Because "CT_FUZZ_PESTER_SEED=$($script:Seed) replays this run"
    }
}
