# The permission gate against someone who can write the data folder (same user, no key ring) and against several
# runbooks at once (issue 16): every fact a decision uses is authenticated, and the daily limit holds under concurrency.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    $PSDefaultParameterValues['*-Ct*:WarningAction'] = 'SilentlyContinue'
    $PSDefaultParameterValues['*-Ct*:Confirm'] = $false

    function New-GateHome {
        $script:DataHome = New-CtTestHome
        $script:Key = New-CtTestFernetKey
        $env:CRYPTOTRADER_MASTER_KEY = $script:Key
        Set-CtApiKey paper 'gate-api-key' (ConvertTo-TestSecureString 'gate-api-secret') | Out-Null
        Reset-CtPaperAccount -Balance @{ USD = 1000000 } | Out-Null
        Set-CtPaperPrice BTC-USD 50000 | Out-Null
    }
}

AfterAll {
    Restore-CtTestSession $script:Saved
}

Describe 'Facts the gate reads from the audit log' {
    BeforeEach { New-GateHome }

    It 'a revocation hidden by nulling its exchange column, with the old grant row put back, still stops trading' {
        Grant-CtTrading paper | Out-Null
        Invoke-CtRawSql 'CREATE TABLE saved_grant AS SELECT * FROM grants;' | Out-Null
        Revoke-CtTrading paper | Out-Null
        Invoke-CtRawSql 'DROP TRIGGER audit_log_no_update;' | Out-Null
        Invoke-CtRawSql "UPDATE audit_log SET exchange = NULL WHERE event_type = 'PERMISSION_CHANGED';" | Out-Null
        Invoke-CtRawSql 'INSERT INTO grants SELECT * FROM saved_grant;' | Out-Null

        $permission = Get-CtPermission paper
        $permission.Level | Should -Be 'ReadOnly'
        $permission.IntegrityValid | Should -BeFalse
        $result = Invoke-CtTestTrade paper BTC-USD Buy 0.001
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'GrantIntegrityFailed,*'
        $result.Records.EventType | Should -Be @('ERROR', 'TRADE_REJECTED')
        @(Get-CtOrder paper).Count | Should -Be 0
    }

    It 'orders hidden by nulling their exchange column still count against -MaxOrdersPerDay' {
        Grant-CtTrading paper -MaxOrdersPerDay 2 | Out-Null
        (Invoke-CtTestTrade paper BTC-USD Buy 0.001).Error | Should -BeNullOrEmpty
        (Invoke-CtTestTrade paper BTC-USD Buy 0.001).Error | Should -BeNullOrEmpty
        Invoke-CtRawSql 'DROP TRIGGER audit_log_no_update;' | Out-Null
        Invoke-CtRawSql "UPDATE audit_log SET exchange = NULL WHERE event_type = 'TRADE_REQUESTED';" | Out-Null

        (Invoke-CtTestTrade paper BTC-USD Buy 0.001).Error.FullyQualifiedErrorId | Should -BeLike 'DailyOrderLimitReached,*'
        @(Get-CtOrder paper).Count | Should -Be 2
    }

    It 'flipping the old expiry_recorded column writes no second expiry record' {
        Grant-CtTrading paper -Duration (New-TimeSpan -Seconds 1) | Out-Null
        Start-Sleep -Milliseconds 1200
        (Invoke-CtTestTrade paper BTC-USD Buy 0.001).Error.FullyQualifiedErrorId | Should -BeLike 'TradingPermissionExpired,*'
        Invoke-CtRawSql 'UPDATE grants SET expiry_recorded = 0;' | Out-Null
        (Invoke-CtTestTrade paper BTC-USD Buy 0.001).Error.FullyQualifiedErrorId | Should -BeLike 'TradingPermissionExpired,*'
        @(Get-CtAuditLog -EventType PERMISSION_CHANGED | Where-Object { $_.Details.action -eq 'expired' }).Count | Should -Be 1
    }

    It 'an edited audit state stops every write with AuditLogTampered, and nothing is sent' {
        Grant-CtTrading paper -MaxOrdersPerDay 1 | Out-Null
        (Invoke-CtTestTrade paper BTC-USD Buy 0.001).Error | Should -BeNullOrEmpty
        $before = @(Get-CtAuditLog).Count
        Invoke-CtRawSql "UPDATE audit_state SET facts = replace(facts, '`"orders`":1', '`"orders`":0');" | Out-Null

        $result = Invoke-CtTestTrade paper BTC-USD Buy 0.001
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'AuditLogTampered,*'
        $result.Error.CategoryInfo.Category | Should -Be 'SecurityError'
        { Set-CtConfig -AuditUserId 'someone' -ErrorAction Stop } | Should -Throw -ErrorId 'AuditLogTampered,*'
        @(Get-CtAuditLog).Count | Should -Be $before
        # Exchange reads are refused too; the paper exchange's own table shows what was placed.
        { Get-CtOrder paper -ErrorAction Stop } | Should -Throw -ErrorId 'AuditLogTampered,*'
        @(Invoke-CtRawSql 'SELECT count(*) FROM paper_orders;')[0] | Should -Be '1'
    }
}

Describe 'The daily order limit under concurrency' {
    BeforeEach { New-GateHome }

    It 'holds for 4 pwsh processes trading at once (limit 3)' {
        Grant-CtTrading paper -MaxOrdersPerDay 3 | Out-Null
        $ready = Join-Path $DataHome 'go'
        $script = @"
Import-Module '$(Get-CtModulePath)' -ErrorAction Stop
while (-not (Test-Path '$ready')) { Start-Sleep -Milliseconds 10 }
foreach (`$i in 1..2) {
    try { Invoke-CtTrade paper BTC-USD Buy 0.001 -Confirm:`$false -WarningAction SilentlyContinue -ErrorAction Stop | Out-Null; 'EXECUTED' }
    catch { 'REFUSED ' + `$_.FullyQualifiedErrorId }
}
"@
        $helpers = Join-Path $PSScriptRoot 'TestHelpers.psm1'
        $jobs = 1..4 | ForEach-Object {
            Start-ThreadJob -ArgumentList $helpers, $script, $DataHome, $Key -ScriptBlock {
                param($helpers, $script, $dataHome, $key)
                Import-Module $helpers
                Invoke-CtChildPwsh -Script $script -Environment @{ CRYPTOTRADER_HOME = $dataHome; CRYPTOTRADER_MASTER_KEY = $key }
            }
        }
        Start-Sleep -Milliseconds 1500
        New-Item -ItemType File -Path $ready | Out-Null
        $results = $jobs | Wait-Job | Receive-Job
        $jobs | Remove-Job
        $lines = @($results | ForEach-Object { $_.Output -split "`n" } | Where-Object { $_ -match '^(EXECUTED|REFUSED)' })

        $lines.Count | Should -Be 8
        @($lines | Where-Object { $_ -eq 'EXECUTED' }).Count | Should -Be 3
        @($lines | Where-Object { $_ -like 'REFUSED DailyOrderLimitReached,*' }).Count | Should -Be 5
        @(Get-CtOrder paper).Count | Should -Be 3
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }

    It 'holds for 8 runspaces of one process trading at once (limit 3)' {
        Grant-CtTrading paper -MaxOrdersPerDay 3 | Out-Null
        $module = Get-CtModulePath
        $jobs = 1..8 | ForEach-Object {
            Start-ThreadJob -ArgumentList $module, $DataHome, $Key -ScriptBlock {
                param($module, $dataHome, $key)
                $env:CRYPTOTRADER_HOME = $dataHome
                $env:CRYPTOTRADER_MASTER_KEY = $key
                Import-Module $module
                try { Invoke-CtTrade paper BTC-USD Buy 0.001 -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Stop | Out-Null; 'EXECUTED' }
                catch { 'REFUSED ' + $_.FullyQualifiedErrorId }
            }
        }
        $outcomes = @($jobs | Wait-Job | Receive-Job)
        $jobs | Remove-Job

        @($outcomes | Where-Object { $_ -eq 'EXECUTED' }).Count | Should -Be 3
        @($outcomes | Where-Object { $_ -like 'REFUSED DailyOrderLimitReached,*' }).Count | Should -Be 5
        @(Get-CtOrder paper).Count | Should -Be 3
    }
}
