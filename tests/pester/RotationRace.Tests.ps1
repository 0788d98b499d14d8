# Issue 18 point 5: sessions that read, trade or unlock while another session rotates never fail and never write
# ERROR records because of it. One child pwsh runs Update-CtEncryptionKey in a loop over many stored keys (key file
# store) while three others read, trade and lock/unlock on the same data folder. Afterwards: no failure reached any
# caller, no ERROR or TRADE_REJECTED record, every key decrypts and the chain verifies. (Test-CtAuditLog is run after the
# loops, not in them: a verification beside concurrent writers reads the head and the records at different moments,
# which is issue 17's part of the write path.)
# CT_RACE_SECONDS (default 20 in CI; 60 is the documented run by hand) and CT_RACE_KEYS (default 300; 2000 by hand).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
    $script:Seconds = if ($env:CT_RACE_SECONDS) { [int] $env:CT_RACE_SECONDS } else { 20 }
    $script:KeyCount = if ($env:CT_RACE_KEYS) { [int] $env:CT_RACE_KEYS } else { 300 }
    $script:PassphraseText = 'a long enough test passphrase'

    # Every child runs its step until the deadline and writes one line per call: OK, or FAIL with the error id.
    function New-LoopScript([string] $Step) {
        return @"
Import-Module '$(Get-CtModulePath)' -ErrorAction Stop
`$ErrorActionPreference = 'Stop'
`$password = ConvertTo-SecureString '$PassphraseText' -AsPlainText -Force
Unlock-CtKeyStore -Password `$password | Out-Null
`$deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
`$i = 0
while ([DateTime]::UtcNow -lt `$deadline) {
    `$i++
    try {
        $Step
        [IO.File]::AppendAllText('PROGRESS_FILE', "OK``n")
    }
    catch {
        [IO.File]::AppendAllText('PROGRESS_FILE', "FAIL `$(`$_.FullyQualifiedErrorId): `$(`$_.Exception.Message)``n")
    }
}
[IO.File]::AppendAllText('PROGRESS_FILE', "DONE``n")
"@
    }
}

AfterAll { Restore-CtTestSession $script:Saved }

Describe 'Update-CtEncryptionKey in a loop beside a reader, a trader and an unlock loop' {
    BeforeAll {
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString $PassphraseText) | Out-Null
        $secret = ConvertTo-TestSecureString 'race-test-secret'
        1..$KeyCount | ForEach-Object { [pscustomobject]@{ Exchange = 'paper'; Name = ('k{0:d4}' -f $_); ApiKey = "AK-$_"; ApiSecret = $secret } } |
            Set-CtApiKey | Out-Null
        Set-CtApiKey -Exchange paper -Name trader -ApiKey 'AK-trader' -ApiSecret $secret | Out-Null
        Reset-CtPaperAccount -Name trader -Balance @{ USD = 100000000; BTC = 1000 } -Confirm:$false | Out-Null
        Set-CtPaperPrice -Symbol BTC-USD -Price 50000 -Confirm:$false | Out-Null
        Grant-CtTrading -Exchange paper -Name trader -Confirm:$false | Out-Null
        Lock-CtKeyStore

        $steps = [ordered]@{
            rotator  = 'Update-CtEncryptionKey -Confirm:$false | Out-Null'
            reader   = 'Get-CtApiKey -Exchange paper -Name trader | Out-Null; if (-not (Test-CtApiKey -Exchange paper -Name trader -WarningAction SilentlyContinue).IsValid) { throw "Test-CtApiKey: not valid" }; Get-CtBalance -Exchange paper -Name trader | Out-Null'
            trader   = 'Invoke-CtTrade -Exchange paper -Name trader -Symbol BTC-USD -Side $(if ($i % 2) { "Buy" } else { "Sell" }) -Quantity 0.001 -Confirm:$false | Out-Null'
            unlocker = 'Lock-CtKeyStore; Unlock-CtKeyStore -Password $password | Out-Null; Get-CtPermission -Exchange paper -Name trader | Out-Null'
        }
        $children = [ordered]@{}
        foreach ($name in $steps.Keys) {
            $children[$name] = Start-CtChildPwsh -Script (New-LoopScript $steps[$name]) -DataHome $DataHome -CaptureOutput
        }
        $script:Lines = [ordered]@{}
        foreach ($name in $children.Keys) {
            $child = $children[$name]
            if (-not $child.WaitForExit(($Seconds + 120) * 1000)) { $child.Kill() }
            $script:Lines[$name] = @(Get-CtChildProgress $child)
            $stderr = if (Test-Path $child.StderrFile) { Get-Content $child.StderrFile -Raw }
            if ($stderr) { Write-Host "    $name stderr: $stderr" }
            Remove-CtChildFiles $child
        }
        foreach ($name in $Lines.Keys) {
            Write-Host ("    {0}: {1} calls, {2} failed" -f $name, @($Lines[$name] | Where-Object { $_ -match '^(OK|FAIL)' }).Count, @($Lines[$name] | Where-Object { $_ -like 'FAIL*' }).Count)
        }
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString $PassphraseText) | Out-Null
    }

    It 'ran every loop to its end, and each did its work more than once' {
        foreach ($name in $Lines.Keys) {
            $Lines[$name] | Select-Object -Last 1 | Should -Be 'DONE' -Because "the $name loop must finish"
            @($Lines[$name] | Where-Object { $_ -eq 'OK' }).Count | Should -BeGreaterThan 1 -Because "the $name loop must get work done"
        }
    }

    It 'reached no caller with a failure' {
        foreach ($name in $Lines.Keys) {
            @($Lines[$name] | Where-Object { $_ -like 'FAIL*' }) | Should -BeNullOrEmpty -Because "the $name loop must never fail"
        }
    }

    It 'wrote no ERROR and no TRADE_REJECTED record' {
        @(Get-CtAuditLog -EventType ERROR) | Should -BeNullOrEmpty
        @(Get-CtAuditLog -EventType TRADE_REJECTED) | Should -BeNullOrEmpty
        @(Get-CtAuditLog -EventType ENCRYPTION_KEY_ROTATED).Count | Should -BeGreaterThan 1
    }

    It 'leaves every key decrypting and the audit chain valid' {
        $checks = @(Test-CtApiKey)
        $checks.Count | Should -Be ($KeyCount + 1)
        @($checks | Where-Object { -not $_.IsValid }) | Should -BeNullOrEmpty
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }
}
