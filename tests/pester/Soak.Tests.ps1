# Load: several pwsh processes, each with several runspaces, mix Set-CtApiKey, Grant-CtTrading/Revoke-CtTrading,
# Invoke-CtTrade on the paper exchange and Get-CtAuditLog on one data folder for a bounded time. Afterwards the
# audit chain verifies, the records of each event type number exactly what the successful calls wrote, and no
# error at all (in particular no "database is locked") reached a caller: every error stream is captured.
# CT_SOAK_SECONDS (default 30), CT_SOAK_PROCESSES (3) and CT_SOAK_RUNSPACES (2) make a longer run by hand.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
    $script:Seconds = if ($env:CT_SOAK_SECONDS) { [int] $env:CT_SOAK_SECONDS } else { 30 }
    $script:Processes = if ($env:CT_SOAK_PROCESSES) { [int] $env:CT_SOAK_PROCESSES } else { 3 }
    $script:Runspaces = if ($env:CT_SOAK_RUNSPACES) { [int] $env:CT_SOAK_RUNSPACES } else { 2 }
    $script:PassphraseText = 'a long enough test passphrase'
    $script:EventTypes = 'API_KEY_CHANGED', 'PERMISSION_CHANGED', 'TRADE_REQUESTED', 'TRADE_EXECUTED', 'TRADE_REJECTED', 'TRADE_FAILED', 'CONFIG_CHANGED', 'ENCRYPTION_KEY_CREATED', 'ENCRYPTION_KEY_ROTATED', 'ERROR'

    function Get-EventCounts {
        $counts = @{}
        foreach ($type in $EventTypes) { $counts[$type] = 0 }
        Get-CtAuditLog | ForEach-Object { $counts[$_.EventType]++ }
        return $counts
    }
}

AfterAll { Restore-CtTestSession $script:Saved }

Describe 'Soak: processes and runspaces sharing one data folder' {
    BeforeAll {
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString $PassphraseText) | Out-Null
        Set-CtPaperPrice -Symbol BTC-USD -Price 50000 -Confirm:$false | Out-Null
        foreach ($p in 1..$Processes) {
            foreach ($r in 1..$Runspaces) {
                foreach ($suffix in 'a', 'b') {
                    $name = "w$p-$r$suffix"
                    Set-CtApiKey -Exchange paper -Name $name -ApiKey "AK-$name" -ApiSecret (ConvertTo-TestSecureString "secret-$name") | Out-Null
                    Reset-CtPaperAccount -Name $name -Balance @{ USD = 100000000; BTC = 1000 } -Confirm:$false | Out-Null
                }
            }
        }
        $script:Baseline = Get-EventCounts

        # One worker (a runspace): its own two credentials, random calls until the deadline. Every call that returns
        # adds the records it must have written to $expected; every error of any kind goes to $errors.
        $script:Worker = @'
param($modulePath, $passphrase, $process, $runspace, $deadline)
$ErrorActionPreference = 'Stop'
$expected = @{}; $calls = @{}; $errors = [System.Collections.Generic.List[string]]::new()
function Expect([string[]] $types) { foreach ($t in $types) { $expected[$t] = 1 + [int] $expected[$t] } }
try {
    Import-Module $modulePath
    Unlock-CtKeyStore -Password (ConvertTo-SecureString $passphrase -AsPlainText -Force) | Out-Null
    $names = "w$process-$($runspace)a", "w$process-$($runspace)b"
    $granted = @{}
    $random = [Random]::new()
    while ([DateTime]::UtcNow -lt $deadline) {
        $name = $names[$random.Next(2)]
        $roll = $random.Next(10)
        $operation = if ($roll -lt 2) { 'key' } elseif ($roll -lt 3) { 'grant' } elseif ($roll -lt 8) { 'trade' } else { 'read' }
        if ($operation -eq 'trade' -and -not $granted[$name]) { $operation = 'grant' }
        try {
            switch ($operation) {
                'key' {
                    Set-CtApiKey -Exchange paper -Name $name -ApiKey "AK-$name-$($random.Next())" -ApiSecret (ConvertTo-SecureString "s-$($random.Next())" -AsPlainText -Force) | Out-Null
                    Expect 'API_KEY_CHANGED'
                }
                'grant' {
                    if ($granted[$name]) { Revoke-CtTrading -Exchange paper -Name $name -Confirm:$false | Out-Null; $granted[$name] = $false }
                    else { Grant-CtTrading -Exchange paper -Name $name -Duration (New-TimeSpan -Hours 2) -Confirm:$false | Out-Null; $granted[$name] = $true }
                    Expect 'PERMISSION_CHANGED'
                }
                'trade' {
                    $side = if ($random.Next(2)) { 'Buy' } else { 'Sell' }
                    $records = @(Invoke-CtTrade -Exchange paper -Name $name -Symbol BTC-USD -Side $side -Quantity 0.001 -Confirm:$false)
                    if (@($records.EventType) -join ',' -ne 'TRADE_REQUESTED,TRADE_EXECUTED') { $errors.Add("trade output: $(@($records.EventType) -join ',')") }
                    Expect 'TRADE_REQUESTED', 'TRADE_EXECUTED'
                }
                'read' { Get-CtAuditLog -Last 20 | Out-Null }
            }
            $calls[$operation] = 1 + [int] $calls[$operation]
        }
        catch { $errors.Add("$operation -> $($_.FullyQualifiedErrorId): $($_.Exception.Message)") }
    }
}
catch { $errors.Add("worker -> $($_.FullyQualifiedErrorId): $($_.Exception.Message)") }
foreach ($record in $Error) { if ("$record" -and -not $errors.Contains("$record")) { $errors.Add("`$Error: $record") } }
[pscustomobject]@{ Process = $process; Runspace = $runspace; Expected = $expected; Calls = $calls; Errors = @($errors) }
'@
    }

    It 'keeps one valid chain, writes exactly the records of the calls that succeeded, and lets no error reach a caller' {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds + 10)   # + start-up of the processes and runspaces
        $workerFile = Join-Path $DataHome 'worker.ps1'
        Set-Content -Path $workerFile -Value $Worker
        $children = foreach ($p in 1..$Processes) {
            $script = @"
`$results = 1..$Runspaces | ForEach-Object -ThrottleLimit $Runspaces -Parallel {
    & '$workerFile' '$(Get-CtModulePath)' '$PassphraseText' $p `$_ ([DateTime]::new($($deadline.Ticks), 'Utc'))
}
[IO.File]::WriteAllText('PROGRESS_FILE', (ConvertTo-Json -InputObject @(`$results) -Depth 5))
"@
            Start-CtChildPwsh -Script $script -DataHome $DataHome -CaptureOutput
        }
        $readsHere = 0
        try {
            # This process reads and verifies meanwhile, as a fourth party.
            while ([DateTime]::UtcNow -lt $deadline) {
                Get-CtAuditLog -Last 50 | Out-Null
                (Test-CtAuditLog -WarningAction SilentlyContinue).IsValid | Should -BeTrue -Because 'the chain is valid at every moment'
                $readsHere++
                Start-Sleep -Milliseconds 500
            }
            foreach ($child in $children) {
                $child.WaitForExit(120000) | Should -BeTrue -Because 'a soak process must finish within two minutes of its deadline'
            }
            $results = foreach ($child in $children) {
                $child.ExitCode | Should -Be 0
                $stderr = if (Test-Path $child.StderrFile) { Get-Content $child.StderrFile -Raw }
                $stdout = if (Test-Path $child.StdoutFile) { Get-Content $child.StdoutFile -Raw }
                "$stderr$stdout" | Should -Not -Match 'locked|busy' -Because 'no "database is locked" may reach a user'
                "$stderr".Trim() | Should -BeNullOrEmpty -Because 'nothing may be written to the error stream'
                Get-Content $child.Progress -Raw | ConvertFrom-Json
            }
        }
        finally {
            foreach ($child in $children) { Stop-CtChild $child | Out-Null }
        }

        $results.Count | Should -Be ($Processes * $Runspaces)
        $errors = @($results | ForEach-Object { $_.Errors })
        ($errors | Where-Object { $_ -match 'database is locked|busy' }) | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty -Because 'every call must succeed under load'

        $expected = @{}
        foreach ($type in $EventTypes) { $expected[$type] = 0 }
        $calls = @{}
        foreach ($result in $results) {
            foreach ($property in $result.Expected.PSObject.Properties) { $expected[$property.Name] += [int] $property.Value }
            foreach ($property in $result.Calls.PSObject.Properties) { $calls[$property.Name] = [int] $calls[$property.Name] + [int] $property.Value }
        }
        $after = Get-EventCounts
        $summary = ($EventTypes | Where-Object { $after[$_] -ne $Baseline[$_] -or $expected[$_] } | ForEach-Object { "$_ +$($after[$_] - $Baseline[$_])" }) -join ', '
        Write-Host "    $Processes processes x $Runspaces runspaces for $Seconds s: calls $(($calls.GetEnumerator() | Sort-Object Name | ForEach-Object { "$($_.Name) $($_.Value)" }) -join ', '); records $summary; $readsHere verifications here"
        foreach ($type in $EventTypes) {
            ($after[$type] - $Baseline[$type]) | Should -Be $expected[$type] -Because "the $type records must match the calls that reported success"
        }
        $calls['trade'] | Should -BeGreaterThan 20 -Because 'the soak must actually trade'
        $calls['key'] | Should -BeGreaterThan 5

        $verification = Test-CtAuditLog
        $verification.IsValid | Should -BeTrue -Because $verification.Reason
        @(Test-CtApiKey | Where-Object { -not $_.IsValid }).Count | Should -Be 0
        @(Invoke-CtRawSql 'SELECT count(*) FROM paper_orders;')[0] | Should -Be ($after['TRADE_EXECUTED'] - $Baseline['TRADE_EXECUTED'])
    }
}
