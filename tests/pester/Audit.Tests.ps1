BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession

    # Runs Python's sqlite3 on the database, as an attacker with the file (but not the key) could.
    function Invoke-RawSql([string] $Sql) {
        $database = Join-Path $env:CRYPTOTRADER_HOME 'cryptotrader.db'
        $Sql | & /usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.stdin.read()); c.commit()" $database
        if ($LASTEXITCODE -ne 0) { throw "sqlite3 failed: $Sql" }
    }

    function Get-RecordView($Record) {
        [pscustomobject]@{ timestamp = $Record.timestamp; event_type = $Record.event_type; user_id = $Record.user_id; details = ($Record.details | ConvertTo-Json -Compress) }
    }
}

AfterAll { Restore-CtTestSession $script:Saved }

Describe 'Audit records of state changes' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
    }

    It 'are written to the pipeline and equal what Get-CtAuditLog returns afterwards' {
        $written = @(Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'audit suite passphrase'))
        $written += Set-CtConfig -AuditUserId 'auditor'
        $written += Set-CtConfig -MaxApiKeyAgeDays 30 -AuditUserId ''
        $written | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'CryptoTrader.AuditRecord' }
        $logged = @(Get-CtAuditLog)
        $logged.Count | Should -Be $written.Count
        $written.Count | Should -Be 4
        for ($i = 0; $i -lt $written.Count; $i++) {
            $logged[$i].Sequence | Should -Be $written[$i].Sequence
            $logged[$i].ChainHash | Should -Be $written[$i].ChainHash
            $logged[$i].EventType | Should -Be $written[$i].EventType
            ($logged[$i].Details | ConvertTo-Json -Compress) | Should -Be ($written[$i].Details | ConvertTo-Json -Compress)
        }
        $logged.EventType | Should -Be @('ENCRYPTION_KEY_CREATED', 'CONFIG_CHANGED', 'CONFIG_CHANGED', 'CONFIG_CHANGED')
    }
}

Describe 'Get-CtAuditLog, Export-CtAuditLog and ConvertTo-Json' {
    BeforeAll {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        foreach ($i in 1..6) { Set-CtConfig -AuditUserId "user-$i" -WarningAction SilentlyContinue | Out-Null }
        Set-CtConfig -MaxApiKeyAgeDays 45 -WarningAction SilentlyContinue | Out-Null
    }
    BeforeEach { $env:CRYPTOTRADER_HOME = $script:DataHome }

    It 'exports the seed format (a JSON array, UTF-8 without BOM) that round-trips through ConvertFrom-Json' {
        $path = Join-Path $TestDrive 'export.json'
        Export-CtAuditLog -Path $path | Out-Null
        $bytes = [IO.File]::ReadAllBytes($path)
        $bytes[0] | Should -Be ([byte][char]'[')
        $exported = Get-Content $path -Raw | ConvertFrom-Json -DateKind String
        $exported.Count | Should -Be @(Get-CtAuditLog).Count
        foreach ($record in $exported) {
            @($record.PSObject.Properties.Name) | Should -Be @('timestamp', 'event_type', 'user_id', 'details')
            $record.timestamp | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$'
        }
        $exported[1].event_type | Should -Be 'CONFIG_CHANGED'
        $exported[1].details.setting | Should -Be 'AuditUserId'
    }

    It 'writes one record a line with -Format JsonLines' {
        $path = Join-Path $TestDrive 'export.jsonl'
        Export-CtAuditLog -Path $path -Format JsonLines -EventType CONFIG_CHANGED | Out-Null
        $lines = @(Get-Content $path)
        $lines.Count | Should -Be @(Get-CtAuditLog -EventType CONFIG_CHANGED).Count
        ($lines | ForEach-Object { ($_ | ConvertFrom-Json).event_type } | Select-Object -Unique) | Should -Be 'CONFIG_CHANGED'
    }

    It 'agrees with Get-CtAuditLog | ConvertTo-Json on every value (the objects have PowerShell property names)' {
        $path = Join-Path $TestDrive 'agree.json'
        Export-CtAuditLog -Path $path -Force | Out-Null
        $fromExport = Get-Content $path -Raw | ConvertFrom-Json -DateKind String | ForEach-Object { Get-RecordView $_ }
        $fromPipeline = Get-CtAuditLog | ConvertTo-Json -Depth 5 | ConvertFrom-Json -DateKind String | ForEach-Object {
            Get-RecordView ([pscustomobject]@{ timestamp = $_.Timestamp; event_type = $_.EventType; user_id = $_.UserId; details = $_.Details })
        }
        $fromPipeline.Count | Should -Be $fromExport.Count
        for ($i = 0; $i -lt $fromExport.Count; $i++) {
            ($fromPipeline[$i] | ConvertTo-Json -Compress) | Should -Be ($fromExport[$i] | ConvertTo-Json -Compress)
        }
    }

    It 'refuses to overwrite an existing file without -Force, and keeps it' {
        $path = Join-Path $TestDrive 'keep.json'
        Set-Content -Path $path -Value 'precious'
        { Export-CtAuditLog -Path $path } | Should -Throw -ErrorId 'ExportFileExists,*'
        Get-Content $path | Should -Be 'precious'
        Export-CtAuditLog -Path $path -Force | Out-Null
        (Get-Content $path -Raw | ConvertFrom-Json).Count | Should -BeGreaterThan 1
    }

    It 'filters with -EventType, -UserId, -First, -Last, -After and -Before' {
        @(Get-CtAuditLog -EventType CONFIG_CHANGED).Count | Should -Be 7
        @(Get-CtAuditLog -EventType ENCRYPTION_KEY_CREATED).Count | Should -Be 0
        @(Get-CtAuditLog -UserId 'user-3').Count | Should -Be 1
        (Get-CtAuditLog -First 2).Sequence | Should -Be @(1, 2)
        (Get-CtAuditLog -Last 2).Sequence | Should -Be @(6, 7)
        @(Get-CtAuditLog -After (Get-Date).AddMinutes(-10)).Count | Should -Be 7
        @(Get-CtAuditLog -Before (Get-Date).AddMinutes(-10)).Count | Should -Be 0
    }

    It 'completes -EventType with the event types' {
        $completion = TabExpansion2 -inputScript 'Get-CtAuditLog -EventType TRADE_' -cursorColumn 'Get-CtAuditLog -EventType TRADE_'.Length
        $completion.CompletionMatches.CompletionText | Sort-Object | Should -Be @('TRADE_EXECUTED', 'TRADE_FAILED', 'TRADE_REJECTED', 'TRADE_REQUESTED')
    }
}

Describe 'Test-CtAuditLog' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        foreach ($i in 1..5) { Set-CtConfig -AuditUserId "user-$i" -WarningAction SilentlyContinue | Out-Null }
    }

    It 'reports an untouched log as valid, with its head' {
        $result = Test-CtAuditLog -WarningAction SilentlyContinue
        $result.PSObject.TypeNames[0] | Should -Be 'CryptoTrader.AuditVerification'
        $result.IsValid | Should -BeTrue
        $result.RecordCount | Should -Be 5
        $result.Head | Should -Be (Get-CtAuditLog -Last 1).Head
    }

    It 'names the first record changed in the database file' {
        Invoke-RawSql "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user_id = 'mallory' WHERE sequence = 3;"
        $result = Test-CtAuditLog -WarningAction SilentlyContinue -WarningVariable warned
        $result.IsValid | Should -BeFalse
        $result.FirstInvalidSequence | Should -Be 3
        "$warned" | Should -Match 'failed verification'
    }

    It 'detects a deleted record' {
        Invoke-RawSql 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE sequence = 2;'
        $result = Test-CtAuditLog -WarningAction SilentlyContinue
        $result.IsValid | Should -BeFalse
        $result.FirstInvalidSequence | Should -Be 2
    }

    It 'detects records cut off the end, against -ExpectedHead and against the head it keeps' {
        $head = (Test-CtAuditLog -WarningAction SilentlyContinue).Head
        Invoke-RawSql 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE sequence >= 4;'
        $result = Test-CtAuditLog -WarningAction SilentlyContinue
        $result.IsValid | Should -BeFalse
        $result.Reason | Should -Match 'cut off'
        Remove-Item (Join-Path $DataHome 'audit.head')
        $withExpected = Test-CtAuditLog -ExpectedHead $head -WarningAction SilentlyContinue
        $withExpected.IsValid | Should -BeFalse
        $withExpected.FirstInvalidSequence | Should -Be 4
    }

    It 'rejects a malformed -ExpectedHead with a clear error' {
        { Test-CtAuditLog -ExpectedHead 'yesterday' -WarningAction SilentlyContinue -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidAuditHead,*'
    }
}

Describe 'Audit writes fail closed' {
    It 'does not change a setting when its audit record cannot be written (database locked)' {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-CtConfig -AuditUserId 'before' -WarningAction SilentlyContinue | Out-Null
        $database = Join-Path $DataHome 'cryptotrader.db'
        $ready = Join-Path $DataHome 'locked'
        $holder = Start-Process -FilePath /usr/bin/python3 -PassThru -ArgumentList '-c', "`"import sqlite3,time,sys; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN EXCLUSIVE'); open(sys.argv[2],'w').close(); time.sleep(14)`"", $database, $ready
        try {
            while (-not (Test-Path $ready)) { Start-Sleep -Milliseconds 50 }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $thrown = { Set-CtConfig -AuditUserId 'after' -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'AuditWriteFailed,*' -PassThru
            # The one documented busy timeout (10 s), not several of them in a row.
            $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 9.5
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 13
            $thrown.CategoryInfo.Category | Should -Be 'WriteError'
            $thrown.Exception.Message | Should -Match 'not performed'
        }
        finally {
            $holder | Stop-Process -Force -ErrorAction Ignore
            $holder.WaitForExit()
        }
        (Get-CtConfig).AuditUserId | Should -Be 'before'
        @(Get-CtAuditLog -EventType CONFIG_CHANGED).Count | Should -Be 1
        (Test-CtAuditLog -WarningAction SilentlyContinue).IsValid | Should -BeTrue
    }
}

Describe 'Concurrent writers' {
    It 'lose no record and keep one valid chain: 4 processes x 250 records' {
        $script:DataHome = New-CtTestHome
        $key = New-CtTestFernetKey
        $env:CRYPTOTRADER_MASTER_KEY = $key
        $helpers = Join-Path $PSScriptRoot 'TestHelpers.psm1'
        $script = @"
Import-Module '$(Get-CtModulePath)' -ErrorAction Stop
foreach (`$i in 1..250) { Set-CtConfig -AuditUserId "proc`$PID-`$i" -WarningAction SilentlyContinue -ErrorAction Stop | Out-Null }
'done'
"@
        $jobs = 1..4 | ForEach-Object {
            Start-ThreadJob -ArgumentList $helpers, $script, $DataHome, $key -ScriptBlock {
                param($helpers, $script, $dataHome, $key)
                Import-Module $helpers
                Invoke-CtChildPwsh -Script $script -Environment @{ CRYPTOTRADER_HOME = $dataHome; CRYPTOTRADER_MASTER_KEY = $key }
            }
        }
        $results = $jobs | Receive-Job -Wait -AutoRemoveJob
        $results | ForEach-Object { $_.ExitCode | Should -Be 0 -Because $_.Output; $_.Output | Should -Match 'done' }
        $records = @(Get-CtAuditLog -EventType CONFIG_CHANGED)
        $records.Count | Should -Be 1000
        ($records.Sequence | Sort-Object -Unique).Count | Should -Be 1000
        $verification = Test-CtAuditLog -WarningAction SilentlyContinue
        $verification.IsValid | Should -BeTrue
        $verification.RecordCount | Should -Be 1000
    }

    It 'lose no record from several runspaces of one process' {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        $modulePath = Get-CtModulePath
        1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:modulePath
            foreach ($i in 1..50) { Set-CtConfig -AuditUserId "runspace$_-$i" -WarningAction SilentlyContinue | Out-Null }
        }
        @(Get-CtAuditLog -EventType CONFIG_CHANGED).Count | Should -Be 200
        (Test-CtAuditLog -WarningAction SilentlyContinue).IsValid | Should -BeTrue
    }
}
