# The audit log fails closed (issue 17): as someone who can write the data folder, cut the log, delete or forge its
# head, edit its last record or put back an older database; every write and exchange request is then refused, nothing
# heals itself, and Repair-CtAuditLog is the one, recorded, way back.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    $PSDefaultParameterValues['*-Ct*:WarningAction'] = 'SilentlyContinue'
    $PSDefaultParameterValues['*-Ct*:Confirm'] = $false

    function New-IncidentHome {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-CtApiKey paper 'incident-api-key' (ConvertTo-TestSecureString 'incident-api-secret') | Out-Null
        Reset-CtPaperAccount -Balance @{ USD = 100000 } | Out-Null
        Set-CtPaperPrice BTC-USD 50000 | Out-Null
        Grant-CtTrading paper | Out-Null
        1..3 | ForEach-Object { Invoke-CtTrade paper BTC-USD Buy 0.001 | Out-Null }
    }

    function Get-TradeError {
        try { Invoke-CtTrade paper BTC-USD Buy 0.001 -ErrorAction Stop | Out-Null; $null } catch { $_ }
    }

    function Get-RecordCount { [long] @(Invoke-CtRawSql 'SELECT count(*) FROM audit_log;')[0] }

    function Get-OrderCount { [long] @(Invoke-CtRawSql 'SELECT count(*) FROM paper_orders;')[0] }
}

AfterAll {
    Restore-CtTestSession $script:Saved
}

Describe 'A log whose end does not match its head' {
    BeforeEach { New-IncidentHome }

    It 'cut off at the end: every trade is refused and it never heals itself' {
        $last = Get-RecordCount
        Invoke-CtRawSql 'DROP TRIGGER audit_log_no_delete;' | Out-Null
        Invoke-CtRawSql "DELETE FROM audit_log WHERE sequence > $($last - 4);" | Out-Null
        (Test-CtAuditLog).IsValid | Should -BeFalse

        foreach ($i in 1..3) {
            $failure = Get-TradeError
            $failure.FullyQualifiedErrorId | Should -BeLike 'AuditLogTampered,*'
            $failure.CategoryInfo.Category | Should -Be 'SecurityError'
        }
        { Set-CtConfig -AuditUserId 'someone' -ErrorAction Stop } | Should -Throw -ErrorId 'AuditLogTampered,*'
        { Get-CtBalance paper -ErrorAction Stop } | Should -Throw -ErrorId 'AuditLogTampered,*'
        (Test-CtAuditLog).IsValid | Should -BeFalse
        Get-RecordCount | Should -Be ($last - 4)
        Get-OrderCount | Should -Be 3
    }

    It 'with audit.head deleted: refused, and the head is not recreated' {
        Remove-Item (Join-Path $DataHome 'audit.head')
        (Get-TradeError).FullyQualifiedErrorId | Should -BeLike 'AuditLogTampered,*'
        Test-Path (Join-Path $DataHome 'audit.head') | Should -BeFalse
        (Test-CtAuditLog).IsValid | Should -BeFalse
        Get-OrderCount | Should -Be 3
    }

    It 'with a forged head at sequence 9223372036854775807: refused, and never moved past' {
        $path = Join-Path $DataHome 'audit.head'
        $forged = "v2 9223372036854775807 $('a' * 64) 0000000000000000000 - k0000000000000000 $('b' * 64)"
        Set-Content -Path $path -Value $forged -NoNewline
        (Get-TradeError).FullyQualifiedErrorId | Should -BeLike 'AuditLogTampered,*'
        (Get-TradeError).FullyQualifiedErrorId | Should -BeLike 'AuditLogTampered,*'
        Get-Content $path -Raw | Should -Be $forged
        (Test-CtAuditLog).IsValid | Should -BeFalse
    }

    It 'with its last record edited: refused' {
        $last = Get-RecordCount
        Invoke-CtRawSql 'DROP TRIGGER audit_log_no_update;' | Out-Null
        Invoke-CtRawSql "UPDATE audit_log SET user_id = 'mallory' WHERE sequence = $last;" | Out-Null
        (Get-TradeError).FullyQualifiedErrorId | Should -BeLike 'AuditLogTampered,*'
        Get-OrderCount | Should -Be 3
    }

    It 'is repaired on the record: -WhatIf changes nothing, the repair revokes every grant, and the cut stays visible' {
        $last = Get-RecordCount
        Invoke-CtRawSql 'DROP TRIGGER audit_log_no_delete;' | Out-Null
        Invoke-CtRawSql "DELETE FROM audit_log WHERE sequence > $($last - 2);" | Out-Null

        Repair-CtAuditLog -WhatIf -WarningVariable found | Out-Null
        "$found" | Should -Match 'cut off'
        Get-RecordCount | Should -Be ($last - 2)

        $records = @(Repair-CtAuditLog -Confirm:$false)
        $records[0].EventType | Should -Be 'ERROR'
        $records[0].Details.action | Should -Be 'audit_log_repaired'
        $records[0].Details.previous_head | Should -Match "^$($last):"
        $records[0].Details.repaired_by | Should -Not -BeNullOrEmpty
        ($records | Where-Object EventType -EQ 'PERMISSION_CHANGED').Details.action | Should -Be 'revoked'
        (Get-CtPermission paper).Level | Should -Be 'ReadOnly'

        (Get-TradeError).FullyQualifiedErrorId | Should -BeLike 'TradingNotEnabled,*'
        Grant-CtTrading paper | Out-Null
        Get-TradeError | Should -BeNullOrEmpty
        $verification = Test-CtAuditLog -Detailed
        $verification.IsValid | Should -BeTrue
        $verification.Reason | Should -Match 'repair'
        ($verification.Findings | Where-Object Kind -EQ 'Repair').Problem | Should -Match 'cut off'
        @(Repair-CtAuditLog -Confirm:$false).Count | Should -Be 0
    }

    It 'with a record changed in the middle: Test-CtAuditLog names it, and after a repair -Detailed still does' {
        Invoke-CtRawSql 'DROP TRIGGER audit_log_no_update;' | Out-Null
        Invoke-CtRawSql "UPDATE audit_log SET user_id = 'mallory' WHERE sequence = 4;" | Out-Null
        (Test-CtAuditLog).FirstInvalidSequence | Should -Be 4

        Repair-CtAuditLog -Confirm:$false | Out-Null

        $verification = Test-CtAuditLog -Detailed
        $verification.IsValid | Should -BeTrue
        $changed = $verification.Findings | Where-Object Kind -EQ 'Changed'
        $changed.Sequence | Should -Be 4
        $changed.RepairedAt | Should -BeGreaterThan 4
    }
}

Describe 'A database put back from before a revocation' {
    It 'is refused as AuditLogRolledBack, with or without its old head, until a repair records it' {
        $script:DataHome = New-CtTestHome
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'a rollback test passphrase') | Out-Null
        Set-CtApiKey paper 'rollback-api-key' (ConvertTo-TestSecureString 'rollback-api-secret') | Out-Null
        Reset-CtPaperAccount -Balance @{ USD = 100000 } | Out-Null
        Set-CtPaperPrice BTC-USD 50000 | Out-Null
        Grant-CtTrading paper | Out-Null
        Remove-Module CryptoTrader -Force
        $saved = Join-Path ([IO.Path]::GetTempPath()) ('ct-rollback-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $saved | Out-Null
        Copy-Item (Join-Path $DataHome 'cryptotrader.db*'), (Join-Path $DataHome 'audit.head') $saved
        Import-Module (Get-CtModulePath) -Force

        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'a rollback test passphrase') | Out-Null
        Revoke-CtTrading paper | Out-Null
        Remove-Module CryptoTrader -Force
        Copy-Item (Join-Path $saved 'cryptotrader.db*') $DataHome -Force
        Import-Module (Get-CtModulePath) -Force
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'a rollback test passphrase') | Out-Null

        # The old grant is in the put-back database, but the key ring's anchor is the revocation.
        $failure = Get-TradeError
        $failure.FullyQualifiedErrorId | Should -BeLike 'AuditLogRolledBack,*'
        $failure.CategoryInfo.Category | Should -Be 'SecurityError'
        Get-OrderCount | Should -Be 0
        Copy-Item (Join-Path $saved 'audit.head') $DataHome -Force
        (Get-TradeError).FullyQualifiedErrorId | Should -BeLike 'AuditLogRolledBack,*'
        ((Test-CtAuditLog -Detailed).Findings | Where-Object Kind -EQ 'Rollback') | Should -Not -BeNullOrEmpty

        Repair-CtAuditLog -Confirm:$false | Out-Null
        (Get-CtPermission paper).Level | Should -Be 'ReadOnly'
        (Get-TradeError).FullyQualifiedErrorId | Should -BeLike 'TradingNotEnabled,*'
        (Test-CtAuditLog).IsValid | Should -BeTrue
        Remove-Item $saved -Recurse -Force
    }
}

Describe 'Test-CtAuditLog -Since Checkpoint' {
    BeforeEach { New-IncidentHome }

    It 'walks only the records after the last verified position, and the end in full' {
        (Test-CtAuditLog).IsValid | Should -BeTrue
        $checked = (Test-CtAuditLog).RecordCount
        Invoke-CtTrade paper BTC-USD Buy 0.001 | Out-Null
        $result = Test-CtAuditLog -Since Checkpoint
        $result.IsValid | Should -BeTrue
        $result.VerifiedFrom | Should -Be ($checked + 1)
        Remove-Item (Join-Path $DataHome 'audit.head')
        (Test-CtAuditLog -Since Checkpoint).IsValid | Should -BeFalse
    }

    It 'is left where it was by Test-CtSecurity, which changes nothing (found by the cmdlet fuzz)' {
        (Test-CtAuditLog).IsValid | Should -BeTrue
        $checked = (Test-CtAuditLog).RecordCount
        Invoke-CtTrade paper BTC-USD Buy 0.001 | Out-Null
        $before = Invoke-CtRawSql -Sql "SELECT name, value FROM settings ORDER BY name;"
        @(Test-CtSecurity) | Should -Not -BeNullOrEmpty
        Invoke-CtRawSql -Sql "SELECT name, value FROM settings ORDER BY name;" | Should -Be $before
        (Test-CtAuditLog -Since Checkpoint).VerifiedFrom | Should -Be ($checked + 1)
    }
}

Describe 'Text a user supplies is clean before it reaches a record' {
    BeforeEach { New-IncidentHome }

    It 'refuses <Case> with InvalidArgument and stores nothing' -ForEach @(
        @{ Case = 'an order id with an ESC sequence'; Call = { Stop-CtOrder paper "paper-1$([char]27)]0;owned$([char]7)" -ErrorAction Stop }; Id = 'InvalidOrder' }
        @{ Case = 'a 100,000-character order id'; Call = { Stop-CtOrder paper ('a' * 100000) -ErrorAction Stop }; Id = 'InvalidOrder' }
        @{ Case = 'an order id to look up with a bidi override'; Call = { Get-CtOrder paper "$([char]0x202E)1-repap" -ErrorAction Stop }; Id = 'InvalidOrder' }
        @{ Case = 'a symbol with a control character'; Call = { Invoke-CtTrade paper "BTC$([char]27)-USD" Buy 1 -ErrorAction Stop }; Id = 'InvalidOrder' }
        @{ Case = 'a client order id ending in a newline'; Call = { Invoke-CtTrade paper BTC-USD Buy 0.001 -ClientOrderId "retry-1`n" -ErrorAction Stop }; Id = 'InvalidOrder' }
        @{ Case = 'a credential name with a bidi override'; Call = { Set-CtApiKey paper -Name "$([char]0x202E)tob" 'k' (ConvertTo-TestSecureString 's') -ErrorAction Stop }; Id = 'InvalidCredentialName' }
        @{ Case = 'a currency with an ESC'; Call = { Reset-CtPaperAccount -Balance @{ "U$([char]27)D" = 1 } -ErrorAction Stop }; Id = 'InvalidOrder' }
        @{ Case = 'a grant currency with an ESC'; Call = { Grant-CtTrading paper -MaxOrderValue 1 -ValueCurrency "U$([char]27)D" -ErrorAction Stop }; Id = 'InvalidGrant' }
        @{ Case = 'a vault name with an ESC'; Call = { Set-CtConfig -Vault "v$([char]27)[2J" -ErrorAction Stop }; Id = 'InvalidSetting' }
    ) {
        $records = Get-RecordCount
        $thrown = $Call | Should -Throw -PassThru
        $thrown.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-RecordCount | Should -Be $records
        (Invoke-CtRawSql "SELECT count(*) FROM audit_log WHERE details LIKE '%' || char(27) || '%' OR details LIKE '%' || char(8238) || '%';")[0] | Should -Be '0'
    }
}

Describe 'Views of the log' {
    BeforeEach { New-IncidentHome }

    It 'never print a raw control character, even from a record written behind the module''s back' {
        Invoke-CtRawSql 'DROP TRIGGER audit_log_no_update;' | Out-Null
        Invoke-CtRawSql "UPDATE audit_log SET details = json_set(details, '$.name', 'x' || char(27) || ']0;owned' || char(7)) WHERE sequence = 1;" | Out-Null
        $table = Get-CtAuditLog -First 1 | Format-Table | Out-String -Width 300
        $list = Get-CtAuditLog -First 1 | Format-List | Out-String -Width 300
        foreach ($text in $table, $list) {
            $text | Should -Not -Match "[\x00-\x08\x0B-\x1F\x7F]"
            $text | Should -Match ([regex]::Escape('\u001B]0;owned\u0007'))
        }
    }
}

Describe 'Export-CtAuditLog' {
    BeforeEach { New-IncidentHome }

    It 'refuses a path inside the data folder, <Case>, and leaves the key file as it was' -ForEach @(
        @{ Case = 'by its own path'; Link = $false }
        @{ Case = 'through a link to it'; Link = $true }
    ) {
        Set-CtConfig -KeyStore Environment | Out-Null
        $target = Join-Path $DataHome 'keyring.key'
        Set-Content -Path $target -Value 'the key file' -NoNewline
        if ($Link) {
            $linkFolder = Join-Path ([IO.Path]::GetTempPath()) ('ct-link-' + [guid]::NewGuid().ToString('N'))
            New-Item -ItemType SymbolicLink -Path $linkFolder -Target $DataHome | Out-Null
            $target = Join-Path $linkFolder 'keyring.key'
        }
        try {
            { Export-CtAuditLog -Path $target -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ExportFailed,*'
            Get-Content (Join-Path $DataHome 'keyring.key') -Raw | Should -Be 'the key file'
            @(Get-ChildItem $DataHome -Filter '*.tmp').Count | Should -Be 0
        }
        finally {
            if ($Link) { Remove-Item $linkFolder -Force }
        }
    }

    It 'creates its file readable by its owner only, even under umask 000' -Skip:$IsWindows {
        $path = Join-Path $TestDrive 'export.json'
        $script = Join-Path $TestDrive 'export.ps1'
        Set-Content $script "Import-Module '$(Get-CtModulePath)'; Export-CtAuditLog -Path '$path' -WarningAction SilentlyContinue"
        $process = [Environment]::ProcessPath
        $dll = if ([IO.Path]::GetFileNameWithoutExtension($process) -ne 'pwsh') { "'$(Join-Path $PSHOME 'pwsh.dll')'" } else { '' }
        & sh -c "umask 000 && '$process' $dll -NoProfile -NonInteractive -File '$script'"
        $LASTEXITCODE | Should -Be 0
        (& stat -c '%a' $path).Trim() | Should -Be '600'
    }
}
