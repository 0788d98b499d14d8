# Permissions, the permission gate and trading on the paper exchange, end to end through the built module
# (DESIGN.md invariants 3 and 4; issue 5).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    # The environment key store warns that it is for development only on every call; the trading cmdlets confirm by default.
    $PSDefaultParameterValues['*-Ct*:WarningAction'] = 'SilentlyContinue'
    $PSDefaultParameterValues['*-Ct*:Confirm'] = $false

    # Runs Python's sqlite3 on the database, as an attacker with the file (but not the key) could.
    function Invoke-RawSql([string] $Sql) {
        $database = Join-Path $env:CRYPTOTRADER_HOME 'cryptotrader.db'
        $Sql | & /usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.stdin.read()); c.commit()" $database
        if ($LASTEXITCODE -ne 0) { throw "sqlite3 failed: $Sql" }
    }

    function Get-RawScalar([string] $Sql) {
        $database = Join-Path $env:CRYPTOTRADER_HOME 'cryptotrader.db'
        $result = $Sql | & /usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute(sys.stdin.read()).fetchone(); print('' if r is None or r[0] is None else r[0])" $database
        if ($LASTEXITCODE -ne 0) { throw "sqlite3 failed: $Sql" }
        return "$result"
    }

    # A fresh data folder with a stored paper key 'default', 10000 USD and BTC-USD at 65000.
    function New-TradingHome {
        param([hashtable] $Balance = @{ USD = 10000 })
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-CtApiKey paper 'demo-api-key' (ConvertTo-TestSecureString 'demo-api-secret') | Out-Null
        Reset-CtPaperAccount -Balance $Balance | Out-Null
        Set-CtPaperPrice BTC-USD 65000 | Out-Null
    }


    function Get-Available([string] $Currency, [string] $Name = 'default') {
        $row = Get-CtBalance paper -Name $Name | Where-Object Currency -EQ $Currency
        if ($row) { $row.Available } else { 0d }
    }

    function Get-Hold([string] $Currency, [string] $Name = 'default') {
        $row = Get-CtBalance paper -Name $Name | Where-Object Currency -EQ $Currency
        if ($row) { $row.Hold } else { 0d }
    }

    function Grant-Trading {
        if ($args.Count -eq 0) { Grant-CtTrading paper | Out-Null } else { Grant-CtTrading @args | Out-Null }
    }

    # Asserts the rejection shape: the ErrorId, PermissionDenied, one TRADE_REJECTED record output and logged, nothing sent.
    function Assert-Rejected($Result, [string] $ErrorId, [int] $OrdersBefore = 0, [decimal] $UsdBefore = 10000) {
        $Result.Error | Should -Not -BeNullOrEmpty
        $Result.Error.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $Result.Error.CategoryInfo.Category | Should -Be 'PermissionDenied'
        # What the gate found (an ERROR record, a recorded expiry) comes first; the rejection is always last.
        $rejected = @($Result.Records)[-1]
        $rejected.EventType | Should -Be 'TRADE_REJECTED'
        $rejected.Details.error_id | Should -Be $ErrorId
        @($Result.Records | Where-Object EventType -in 'TRADE_REQUESTED', 'TRADE_EXECUTED').Count | Should -Be 0
        $logged = Get-CtAuditLog -EventType TRADE_REJECTED -Last 1
        $logged.ChainHash | Should -Be $rejected.ChainHash
        @(Get-CtOrder paper).Count | Should -Be $OrdersBefore
        Get-Available USD | Should -Be $UsdBefore
    }
}

AfterAll {
    Restore-CtTestSession $script:Saved
}

Describe 'A read-only credential' {
    BeforeEach { New-TradingHome }

    It 'is the default: the trade is rejected with TradingNotEnabled, recorded, and nothing reaches the exchange' {
        (Get-CtPermission paper).Level | Should -Be 'ReadOnly'
        $result = Invoke-CtTestTrade paper BTC-USD Buy 0.01
        Assert-Rejected $result 'TradingNotEnabled'
        $result.Error.Exception.Message | Should -Match 'Grant-CtTrading'
        @(Get-CtAuditLog -EventType TRADE_REQUESTED).Count | Should -Be 0
        @(Get-CtAuditLog -EventType TRADE_EXECUTED).Count | Should -Be 0
        @(Get-CtBalance paper).Currency | Should -Be @('USD')
    }
}

Describe 'Grant, trade, revoke' {
    BeforeEach { New-TradingHome }

    It 'executes a market order after a grant, with readable results and exact decimal balances, and rejects again after revoke' {
        $grant = @(Grant-CtTrading paper -Duration (New-TimeSpan -Hours 1) -MaxOrderValue 1000)
        $grant.Count | Should -Be 1
        $grant[0].EventType | Should -Be 'PERMISSION_CHANGED'
        $grant[0].Details.action | Should -Be 'granted'
        $grant[0].Details.level_before | Should -Be 'ReadOnly'
        $grant[0].Details.level_after | Should -Be 'TradingEnabled'
        $grant[0].Details.max_order_value | Should -Be '1000'
        $grant[0].Details.expires_at | Should -Not -BeNullOrEmpty
        $permission = Get-CtPermission paper
        $permission.PSObject.TypeNames[0] | Should -Be 'CryptoTrader.PermissionInfo'
        $permission.Level | Should -Be 'TradingEnabled'
        $permission.IntegrityValid | Should -BeTrue
        $permission.GrantedBy | Should -Be $grant[0].Details.granted_by
        $permission.MaxOrderValue | Should -Be 1000
        $permission.ExpiresAt | Should -BeGreaterThan ([DateTime]::UtcNow.AddMinutes(55))

        $result = Invoke-CtTestTrade paper BTC-USD Buy 0.01
        $result.Error | Should -BeNullOrEmpty
        $result.Records.EventType | Should -Be @('TRADE_REQUESTED', 'TRADE_EXECUTED')
        $logged = @(Get-CtAuditLog -EventType TRADE_REQUESTED, TRADE_EXECUTED)
        $logged.ChainHash | Should -Be $result.Records.ChainHash
        $logged.Sequence | Should -Be $result.Records.Sequence

        $executed = $result.Records[1]
        $executed.Details.order_id | Should -Match '^paper-'
        $executed.Details.status | Should -Be 'Filled'
        [decimal] $executed.Details.filled_quantity | Should -Be 0.01
        [decimal] $executed.Details.average_price | Should -Be 65000
        $executed.Details.symbol | Should -Be 'BTC-USD'
        $executed.Details.side | Should -Be 'Buy'

        $order = Get-CtOrder paper -OrderId $executed.Details.order_id
        $order.Status | Should -Be 'Filled'
        $order.FilledQuantity | Should -Be 0.01
        $order.AveragePrice | Should -Be 65000
        $usd = Get-Available USD
        $usd | Should -BeOfType [decimal]
        $usd | Should -Be 9350
        (Get-Available BTC) | Should -Be 0.01
        (Get-Available BTC) | Should -BeOfType [decimal]

        $revoke = @(Revoke-CtTrading paper)
        $revoke[0].Details.action | Should -Be 'revoked'
        $revoke[0].Details.level_before | Should -Be 'TradingEnabled'
        $revoke[0].Details.level_after | Should -Be 'ReadOnly'
        (Get-CtPermission paper).Level | Should -Be 'ReadOnly'

        Assert-Rejected (Invoke-CtTestTrade paper BTC-USD Buy 0.01) 'TradingNotEnabled' -OrdersBefore 1 -UsdBefore 9350
    }

    It 'sells back at a new price with exact decimal results' {
        Grant-Trading
        (Invoke-CtTestTrade paper BTC-USD Buy 0.01).Error | Should -BeNullOrEmpty
        Set-CtPaperPrice BTC-USD 65000.10 | Out-Null
        $sell = Invoke-CtTestTrade paper BTC-USD Sell 0.003
        $sell.Error | Should -BeNullOrEmpty
        [decimal] $sell.Records[1].Details.average_price | Should -Be 65000.10
        (Get-Available USD) | Should -Be (10000d - 650d + 195.0003d)
        (Get-Available BTC) | Should -Be 0.007
    }

    It 'shows the level in Get-CtApiKey: TradingEnabled after a grant, ReadOnly after revoke' {
        (Get-CtApiKey paper).Permission | Should -Be 'ReadOnly'
        Grant-Trading
        (Get-CtApiKey paper).Permission | Should -Be 'TradingEnabled'
        Revoke-CtTrading paper | Out-Null
        (Get-CtApiKey paper).Permission | Should -Be 'ReadOnly'
    }

    It 'warns (and writes nothing) when revoking a credential that is already read-only' {
        $before = @(Get-CtAuditLog).Count
        $out = @(Revoke-CtTrading paper -WarningAction SilentlyContinue -WarningVariable warned)
        $out.Count | Should -Be 0
        "$warned" | Should -Match 'already read-only'
        @(Get-CtAuditLog).Count | Should -Be $before
    }

    It 'deletes the grant with Remove-CtApiKey; a key stored again is read-only' {
        Grant-Trading
        $removed = @(Remove-CtApiKey paper)
        $removed.EventType | Should -Be @('API_KEY_CHANGED', 'PERMISSION_CHANGED')
        $removed[1].Details.action | Should -Be 'removed'
        $removed[1].Details.level_after | Should -Be 'ReadOnly'
        Get-RawScalar 'SELECT count(*) FROM grants;' | Should -Be '0'
        Set-CtApiKey paper 'demo-api-key' (ConvertTo-TestSecureString 'demo-api-secret') | Out-Null
        (Get-CtPermission paper).Level | Should -Be 'ReadOnly'
        (Get-CtApiKey paper).Permission | Should -Be 'ReadOnly'
        Assert-Rejected (Invoke-CtTestTrade paper BTC-USD Buy 0.01) 'TradingNotEnabled'
    }

    It 'refuses a grant for a credential that is not stored, or with a non-positive limit' {
        { Grant-CtTrading paper -Name 'nobody' -ErrorAction Stop } | Should -Throw -ErrorId 'CredentialNotFound,*'
        { Grant-CtTrading paper -MaxOrderValue 0 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidGrant,*'
        { Grant-CtTrading paper -MaxOrdersPerDay 0 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidGrant,*'
        { Grant-CtTrading paper -Duration ([TimeSpan]::Zero) -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidGrant,*'
        @(Get-CtAuditLog -EventType PERMISSION_CHANGED).Count | Should -Be 0
        (Get-CtPermission paper).Level | Should -Be 'ReadOnly'
    }
}

Describe 'An expired grant' {
    BeforeEach { New-TradingHome }

    It 'counts as read-only: TradingPermissionExpired, and the expiry is recorded exactly once' {
        Grant-Trading paper -Duration (New-TimeSpan -Seconds 2)
        $expires = (Get-CtPermission paper).ExpiresAt
        $expires | Should -Not -BeNullOrEmpty
        while ([DateTime]::UtcNow -le $expires.AddMilliseconds(100)) { Start-Sleep -Milliseconds 100 }

        Assert-Rejected (Invoke-CtTestTrade paper BTC-USD Buy 0.01) 'TradingPermissionExpired'
        Assert-Rejected (Invoke-CtTestTrade paper BTC-USD Buy 0.01) 'TradingPermissionExpired'

        $expired = @(Get-CtAuditLog -EventType PERMISSION_CHANGED | Where-Object { $_.Details.action -eq 'expired' })
        $expired.Count | Should -Be 1
        $expired[0].Details.level_before | Should -Be 'TradingEnabled'
        $expired[0].Details.level_after | Should -Be 'ReadOnly'
        @(Get-CtAuditLog -EventType TRADE_REJECTED).Count | Should -Be 2
        $permission = Get-CtPermission paper
        $permission.Level | Should -Be 'ReadOnly'
        $permission.IntegrityValid | Should -BeTrue
        (Get-CtApiKey paper).Permission | Should -Be 'ReadOnly'
    }
}

Describe 'Grant limits' {
    BeforeEach { New-TradingHome }

    It 'values a market order at the ticker price against -MaxOrderValue' {
        Grant-Trading paper -MaxOrderValue 1000
        $result = Invoke-CtTestTrade paper BTC-USD Buy 0.02
        Assert-Rejected $result 'OrderValueOverLimit'
        $result.Error.Exception.Message | Should -Match '1300'
        (Invoke-CtTestTrade paper BTC-USD Buy 0.0153).Error | Should -BeNullOrEmpty
        Set-CtPaperPrice BTC-USD 66000 | Out-Null
        Assert-Rejected (Invoke-CtTestTrade paper BTC-USD Buy 0.0153) 'OrderValueOverLimit' -OrdersBefore 1 -UsdBefore (10000d - 0.0153d * 65000d)
    }

    It 'values a limit order at the higher of its limit and the market price against -MaxOrderValue' {
        Grant-Trading paper -MaxOrderValue 1000
        # Worth 650 at market, 1200 at the limit: rejected.
        Assert-Rejected (Invoke-CtTestTrade paper BTC-USD Buy 0.01 -LimitPrice 120000) 'OrderValueOverLimit'
        # Worth 800 at the limit but 1300 at market: rejected too (it could fill at the market).
        Assert-Rejected (Invoke-CtTestTrade paper BTC-USD Buy 0.02 -LimitPrice 40000) 'OrderValueOverLimit'
        # Worth 600 at the limit, 975 at market: allowed, and rests.
        $result = Invoke-CtTestTrade paper BTC-USD Buy 0.015 -LimitPrice 40000
        $result.Error | Should -BeNullOrEmpty
        $result.Records[1].Details.status | Should -Be 'Open'
    }

    It 'values a sell limit far below the market at the market price (5 BTC at 0.01 under a 1000 USD limit)' {
        Reset-CtPaperAccount -Balance @{ BTC = 5 } | Out-Null
        Set-CtPaperPrice BTC-USD 50000 | Out-Null
        Grant-Trading paper -MaxOrderValue 1000
        $result = Invoke-CtTestTrade paper BTC-USD Sell 5 -LimitPrice 0.01
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'OrderValueOverLimit,*'
        $result.Error.Exception.Message | Should -Match '250000'
        Get-Available BTC | Should -Be 5
    }

    It 'converts an order quoted in another currency into the grant''s, and refuses one it cannot value' {
        Set-CtPaperPrice ETH-BTC 0.05 | Out-Null
        Reset-CtPaperAccount -Balance @{ BTC = 1000 } | Out-Null
        Grant-Trading paper -MaxOrderValue 1000
        (Get-CtPermission paper).ValueCurrency | Should -Be 'USD'
        # 10000 ETH = 500 BTC = 32.5 million USD, not "500".
        (Invoke-CtTestTrade paper ETH-BTC Buy 10000).Error.FullyQualifiedErrorId | Should -BeLike 'OrderValueOverLimit,*'
        # 0.3 ETH = 0.015 BTC = 975 USD.
        (Invoke-CtTestTrade paper ETH-BTC Buy 0.3).Error | Should -BeNullOrEmpty
        Set-CtPaperPrice ETH-EUR 3000 | Out-Null
        $unknown = Invoke-CtTestTrade paper ETH-EUR Buy 0.1
        $unknown.Error.FullyQualifiedErrorId | Should -BeLike 'OrderValueUnknown,*'
        $unknown.Error.CategoryInfo.Category | Should -Be 'PermissionDenied'
        @($unknown.Records)[-1].Details.error_id | Should -Be 'OrderValueUnknown'
    }

    It 'keeps the currency of -MaxOrderValue in the grant, under its MAC' {
        Set-CtPaperPrice USD-BTC 0.0000153846 | Out-Null
        Grant-Trading paper -MaxOrderValue 0.02 -ValueCurrency btc
        (Get-CtPermission paper).ValueCurrency | Should -Be 'BTC'
        (Get-CtAuditLog -EventType PERMISSION_CHANGED -Last 1).Details.value_currency | Should -Be 'BTC'
        (Invoke-CtTestTrade paper BTC-USD Buy 0.01).Error | Should -BeNullOrEmpty
        (Invoke-CtTestTrade paper BTC-USD Buy 0.03).Error.FullyQualifiedErrorId | Should -BeLike 'OrderValueOverLimit,*'
        Invoke-RawSql "UPDATE grants SET value_currency = 'SAT';"
        (Get-CtPermission paper -WarningAction SilentlyContinue).IntegrityValid | Should -BeFalse
        { Grant-CtTrading paper -MaxOrderValue 1 -ValueCurrency 'U$D' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidGrant,*'
    }

    It 'rejects a symbol outside -AllowedSymbol with SymbolNotAllowed' {
        Set-CtPaperPrice ETH-USD 3000 | Out-Null
        Grant-Trading paper -AllowedSymbol 'eth-usd'
        (Get-CtPermission paper).AllowedSymbols | Should -Be @('ETH-USD')
        Assert-Rejected (Invoke-CtTestTrade paper BTC-USD Buy 0.01) 'SymbolNotAllowed'
        (Invoke-CtTestTrade paper ETH-USD Buy 0.5).Error | Should -BeNullOrEmpty
        (Get-Available ETH) | Should -Be 0.5
    }

    It 'rejects the third order of the day with -MaxOrdersPerDay 2' {
        Grant-Trading paper -MaxOrdersPerDay 2
        (Invoke-CtTestTrade paper BTC-USD Buy 0.01).Error | Should -BeNullOrEmpty
        (Invoke-CtTestTrade paper BTC-USD Buy 0.01).Error | Should -BeNullOrEmpty
        Assert-Rejected (Invoke-CtTestTrade paper BTC-USD Buy 0.01) 'DailyOrderLimitReached' -OrdersBefore 2 -UsdBefore 8700
        @(Get-CtAuditLog -EventType TRADE_EXECUTED).Count | Should -Be 2
    }

    It 'does not count rejected orders against -MaxOrdersPerDay' {
        Grant-Trading paper -MaxOrdersPerDay 1 -MaxOrderValue 1000
        Assert-Rejected (Invoke-CtTestTrade paper BTC-USD Buy 1) 'OrderValueOverLimit'
        (Invoke-CtTestTrade paper BTC-USD Buy 0.01).Error | Should -BeNullOrEmpty
    }
}

Describe 'A grant tampered with in the database file' {
    BeforeEach {
        New-TradingHome
        Grant-Trading paper -MaxOrderValue 100
    }

    It 'is not honoured when <Case>' -ForEach @(
        @{ Case = 'its max_order_value is raised'; Name = 'default'; Sql = "UPDATE grants SET max_order_value = '1000000';" }
        @{ Case = 'its expiry is extended'; Name = 'default'; Sql = "UPDATE grants SET expires_at = '2999-01-01T00:00:00Z';" }
        @{ Case = 'it is copied to another credential'; Name = 'other'; Sql = "INSERT INTO grants SELECT exchange, 'other', granted_by, granted_at, expires_at, NULL, max_orders_per_day, allowed_symbols, audit_sequence, key_id, mac, expiry_recorded, value_currency FROM grants WHERE name = 'default';" }
        @{ Case = 'it is copied to another credential unchanged except the name'; Name = 'other'; Sql = "INSERT INTO grants SELECT exchange, 'other', granted_by, granted_at, expires_at, max_order_value, max_orders_per_day, allowed_symbols, audit_sequence, key_id, mac, expiry_recorded, value_currency FROM grants WHERE name = 'default';" }
        @{ Case = 'it is revoked and the saved row put back (replay)'; Name = 'default'; Revoke = $true; Sql = "INSERT INTO grants SELECT * FROM saved_grant;" }
        @{ Case = 'its max_order_value is made unreadable'; Name = 'default'; Sql = "UPDATE grants SET max_order_value = 'lots';" }
        @{ Case = 'its expiry is made unreadable'; Name = 'default'; Sql = "UPDATE grants SET expires_at = 'never';" }
        @{ Case = 'a row is forged with a made-up mac'; Name = 'other'; Sql = "INSERT INTO grants (exchange, name, granted_by, granted_at, audit_sequence, key_id, mac) SELECT 'paper', 'other', 'mallory', '2024-01-01T00:00:00Z', 1, key_id, '$('ab' * 32)' FROM credentials LIMIT 1;" }
    ) {
        if ($Name -ne 'default') {
            Set-CtApiKey paper -Name $Name 'other-api-key' (ConvertTo-TestSecureString 'other-api-secret') | Out-Null
            Reset-CtPaperAccount -Name $Name -Balance @{ USD = 10000 } | Out-Null
        }
        if ($Revoke) {
            Invoke-RawSql 'CREATE TABLE saved_grant AS SELECT * FROM grants;'
            Revoke-CtTrading paper | Out-Null
            Get-RawScalar 'SELECT count(*) FROM grants;' | Should -Be '0'
        }
        Invoke-RawSql $Sql
        $errorsBefore = @(Get-CtAuditLog -EventType ERROR).Count

        $result = Invoke-CtTestTrade paper BTC-USD Buy 0.001 -Name $Name
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'GrantIntegrityFailed,*'
        $result.Error.CategoryInfo.Category | Should -Be 'PermissionDenied'
        # The ERROR record and the rejection are written together, in that order.
        $result.Records.EventType | Should -Be @('ERROR', 'TRADE_REJECTED')
        $result.Records[1].Details.error_id | Should -Be 'GrantIntegrityFailed'
        $errors = @(Get-CtAuditLog -EventType ERROR)
        $errors.Count | Should -Be ($errorsBefore + 1)
        $errors[-1].Details.error_id | Should -Be 'GrantIntegrityFailed'
        $errors[-1].Details.name | Should -Be $Name
        @(Get-CtAuditLog -EventType TRADE_REQUESTED).Count | Should -Be 0
        @(Get-CtOrder paper -Name $Name).Count | Should -Be 0
        Get-Available USD -Name $Name | Should -Be 10000

        $permission = Get-CtPermission paper -Name $Name -WarningAction SilentlyContinue -WarningVariable warned
        $permission.IntegrityValid | Should -BeFalse
        $permission.Level | Should -Be 'ReadOnly'
        "$warned" | Should -Match 'not honoured'
        (Get-CtApiKey paper -Name $Name).Permission | Should -Be 'ReadOnly'
    }

    It 'leaves the untouched credential valid when a copy is made for another' {
        Set-CtApiKey paper -Name other 'other-api-key' (ConvertTo-TestSecureString 'other-api-secret') | Out-Null
        Invoke-RawSql "INSERT INTO grants SELECT exchange, 'other', granted_by, granted_at, expires_at, max_order_value, max_orders_per_day, allowed_symbols, audit_sequence, key_id, mac, expiry_recorded, value_currency FROM grants WHERE name = 'default';"
        (Get-CtPermission paper -Name default).IntegrityValid | Should -BeTrue
        (Invoke-CtTestTrade paper BTC-USD Buy 0.001).Error | Should -BeNullOrEmpty
    }

    It 'can be replaced by revoking and granting again (<Sql>)' -ForEach @(
        @{ Sql = "UPDATE grants SET max_order_value = '1000000';" }
        @{ Sql = "UPDATE grants SET max_order_value = 'lots';" }
    ) {
        Invoke-RawSql $Sql
        (Get-CtPermission paper -WarningAction SilentlyContinue).IntegrityValid | Should -BeFalse
        $revoke = Revoke-CtTrading paper
        $revoke.Details.level_before | Should -Be 'ReadOnly'
        Grant-Trading paper -MaxOrderValue 1000
        (Get-CtPermission paper).IntegrityValid | Should -BeTrue
        (Invoke-CtTestTrade paper BTC-USD Buy 0.01).Error | Should -BeNullOrEmpty
    }
}

Describe 'A session with the wrong master key' {
    BeforeEach { New-TradingHome; Grant-Trading }

    It 'rejects the trade (fail closed, KeyRingMismatch: the ring lacks the database''s key) instead of honouring the grant or crashing' {
        # The key ring is cached per process, so the other key is used in a child PowerShell.
        $child = Invoke-CtChildPwsh -Script @"
Import-Module '$(Get-CtModulePath)'
try { Invoke-CtTrade paper BTC-USD Buy 0.01 -Confirm:`$false -WarningAction SilentlyContinue -ErrorAction Stop | Out-Null; 'TRADED' }
catch { 'ERROR-ID ' + `$_.FullyQualifiedErrorId + ' ' + `$_.CategoryInfo.Category }
"@ -Environment @{ CRYPTOTRADER_MASTER_KEY = (New-CtTestFernetKey) }
        $child.Output | Should -Match 'ERROR-ID KeyRingMismatch,\S+ InvalidData'
        $child.Output | Should -Not -Match 'TRADED'
        @(Get-CtOrder paper).Count | Should -Be 0
        Get-Available USD | Should -Be 10000
        @(Get-CtAuditLog -EventType TRADE_REQUESTED).Count | Should -Be 0
    }
}

Describe '-WhatIf' {
    BeforeEach { New-TradingHome; Grant-Trading }

    It 'sends nothing: no order, no audit record, balances unchanged' {
        $before = @(Get-CtAuditLog).Count
        $out = @(Invoke-CtTrade paper BTC-USD Buy 0.01 -WhatIf)
        # -WhatIf shows the exchange's preview of the order, nothing else.
        @($out | Where-Object { $_.PSObject.TypeNames[0] -ne 'CryptoTrader.OrderPreview' }).Count | Should -Be 0
        @(Get-CtAuditLog).Count | Should -Be $before
        @(Get-CtOrder paper).Count | Should -Be 0
        Get-Available USD | Should -Be 10000
        Get-RawScalar 'SELECT count(*) FROM paper_orders;' | Should -Be '0'
    }

    It 'cancels nothing with Stop-CtOrder -WhatIf' {
        $id = (Invoke-CtTestTrade paper BTC-USD Buy 0.01 -LimitPrice 50000).Records[1].Details.order_id
        $before = @(Get-CtAuditLog).Count
        Stop-CtOrder paper $id -WhatIf
        @(Get-CtAuditLog).Count | Should -Be $before
        (Get-CtOrder paper $id).Status | Should -Be 'Open'
    }
}

Describe 'A failing audit write' {
    BeforeEach { New-TradingHome; Grant-Trading }
    AfterEach { Invoke-RawSql 'DROP TRIGGER IF EXISTS block_audit;' }

    It 'sends nothing to the exchange: AuditWriteFailed, no order, balances unchanged' {
        $before = @(Get-CtAuditLog).Count
        Invoke-RawSql "CREATE TRIGGER block_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'blocked'); END;"
        $result = Invoke-CtTestTrade paper BTC-USD Buy 0.01
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'AuditWriteFailed,*'
        $result.Records.Count | Should -Be 0
        Get-RawScalar 'SELECT count(*) FROM paper_orders;' | Should -Be '0'
        Invoke-RawSql 'DROP TRIGGER block_audit;'
        @(Get-CtOrder paper).Count | Should -Be 0
        Get-Available USD | Should -Be 10000
        @(Get-CtAuditLog).Count | Should -Be $before
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }

    It 'also stops a rejection from going unrecorded (read-only credential)' {
        Revoke-CtTrading paper | Out-Null
        Invoke-RawSql "CREATE TRIGGER block_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'blocked'); END;"
        $result = Invoke-CtTestTrade paper BTC-USD Buy 0.01
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'AuditWriteFailed,*'
        Get-RawScalar 'SELECT count(*) FROM paper_orders;' | Should -Be '0'
    }

    It 'does not cancel an order when the cancel cannot be recorded' {
        $id = (Invoke-CtTestTrade paper BTC-USD Buy 0.01 -LimitPrice 50000).Records[1].Details.order_id
        Invoke-RawSql "CREATE TRIGGER block_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'blocked'); END;"
        { Stop-CtOrder paper $id -ErrorAction Stop } | Should -Throw -ErrorId 'AuditWriteFailed,*'
        Get-RawScalar "SELECT status FROM paper_orders WHERE order_id = '$id';" | Should -Be 'Open'
    }
}

Describe 'The same -ClientOrderId' {
    BeforeEach { New-TradingHome; Grant-Trading }

    It 'never places a second order; the retry returns the same records' {
        $first = Invoke-CtTestTrade paper BTC-USD Buy 0.01 -ClientOrderId 'retry-1'
        $first.Error | Should -BeNullOrEmpty
        $second = Invoke-CtTestTrade paper BTC-USD Buy 0.01 -ClientOrderId 'retry-1'
        $second.Error | Should -BeNullOrEmpty
        $second.Records.ChainHash | Should -Be $first.Records.ChainHash
        $second.Records.Sequence | Should -Be $first.Records.Sequence
        @(Get-CtOrder paper).Count | Should -Be 1
        (Get-CtOrder paper).ClientOrderId | Should -Be 'retry-1'
        @(Get-CtAuditLog -EventType TRADE_EXECUTED).Count | Should -Be 1
        @(Get-CtAuditLog -EventType TRADE_REQUESTED).Count | Should -Be 1
        Get-Available USD | Should -Be 9350
    }

    It 'places a second order with a different id' {
        (Invoke-CtTestTrade paper BTC-USD Buy 0.01 -ClientOrderId 'a-1').Error | Should -BeNullOrEmpty
        (Invoke-CtTestTrade paper BTC-USD Buy 0.01 -ClientOrderId 'a-2').Error | Should -BeNullOrEmpty
        @(Get-CtOrder paper).Count | Should -Be 2
        Get-Available USD | Should -Be 8700
    }

    It 'refuses a malformed client order id' {
        $result = Invoke-CtTestTrade paper BTC-USD Buy 0.01 -ClientOrderId 'has space'
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'InvalidOrder,*'
        @(Get-CtOrder paper).Count | Should -Be 0
    }
}

Describe 'The paper exchange' {
    BeforeEach { New-TradingHome; Grant-Trading }

    It 'fails an order beyond the funds with TRADE_FAILED and InsufficientFunds, and changes nothing' {
        $result = Invoke-CtTestTrade paper BTC-USD Buy 1
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'InsufficientFunds,*'
        $result.Error.Exception.Message | Should -Match 'Insufficient funds'
        $result.Records.EventType | Should -Be @('TRADE_REQUESTED', 'TRADE_FAILED')
        $result.Records[1].Details.error_id | Should -Be 'InsufficientFunds'
        (Get-CtAuditLog -EventType TRADE_FAILED).ChainHash | Should -Be $result.Records[1].ChainHash
        @(Get-CtOrder paper).Count | Should -Be 0
        Get-Available USD | Should -Be 10000
        Get-Available BTC | Should -Be 0
        # Selling what the account does not hold fails the same way.
        (Invoke-CtTestTrade paper BTC-USD Sell 0.5).Error.FullyQualifiedErrorId | Should -BeLike 'InsufficientFunds,*'
        # And the session carries on.
        (Invoke-CtTestTrade paper BTC-USD Buy 0.01).Error | Should -BeNullOrEmpty
    }

    It 'fails an order for a symbol without a price with the exchange''s UnknownSymbol, not a permission error' {
        $result = Invoke-CtTestTrade paper DOGE-USD Buy 1
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'UnknownSymbol,*'
        $result.Error.CategoryInfo.Category | Should -Not -Be 'PermissionDenied'
        $result.Records[1].Details.error_id | Should -Be 'UnknownSymbol'
    }

    It 'rests a limit order below the market with its funds on hold, and fills it at its limit when the price crosses' {
        $result = Invoke-CtTestTrade paper BTC-USD Buy 0.01 -LimitPrice 60000
        $result.Error | Should -BeNullOrEmpty
        $id = $result.Records[1].Details.order_id
        $result.Records[1].Details.status | Should -Be 'Open'
        [decimal] $result.Records[1].Details.filled_quantity | Should -Be 0
        Get-Available USD | Should -Be 9400
        Get-Hold USD | Should -Be 600
        (Get-CtOrder paper $id).Status | Should -Be 'Open'

        @(Set-CtPaperPrice BTC-USD 61000).Count | Should -Be 0
        $filled = @(Set-CtPaperPrice BTC-USD 59000)
        $filled.Count | Should -Be 1
        $filled[0].EventType | Should -Be 'TRADE_EXECUTED'
        $filled[0].Details.order_id | Should -Be $id
        $filled[0].Details.status | Should -Be 'Filled'
        [decimal] $filled[0].Details.average_price | Should -Be 60000
        [decimal] $filled[0].Details.filled_quantity | Should -Be 0.01
        (Get-CtAuditLog -EventType TRADE_EXECUTED -Last 1).ChainHash | Should -Be $filled[0].ChainHash
        (Get-CtOrder paper $id).Status | Should -Be 'Filled'
        Get-Available USD | Should -Be 9400
        Get-Hold USD | Should -Be 0
        Get-Available BTC | Should -Be 0.01
    }

    It 'fills a marketable limit order at once, at the current price' {
        $result = Invoke-CtTestTrade paper BTC-USD Buy 0.01 -LimitPrice 70000
        $result.Records[1].Details.status | Should -Be 'Filled'
        [decimal] $result.Records[1].Details.average_price | Should -Be 65000
        Get-Available USD | Should -Be 9350
        Get-Hold USD | Should -Be 0
    }

    It 'rests a sell limit above the market holding the base currency, and fills when the price rises to it' {
        Reset-CtPaperAccount -Balance @{ USD = 0; BTC = 1 } | Out-Null
        $id = (Invoke-CtTestTrade paper BTC-USD Sell 0.25 -LimitPrice 70000).Records[1].Details.order_id
        Get-Available BTC | Should -Be 0.75
        Get-Hold BTC | Should -Be 0.25
        (Set-CtPaperPrice BTC-USD 71000).Details.order_id | Should -Be $id
        Get-Available USD | Should -Be 17500
        Get-Hold BTC | Should -Be 0
    }

    It 'cancels an open order with Stop-CtOrder without a grant, releasing the hold' {
        $id = (Invoke-CtTestTrade paper BTC-USD Buy 0.01 -LimitPrice 50000).Records[1].Details.order_id
        Get-Hold USD | Should -Be 500
        Invoke-RawSql 'DELETE FROM grants;'
        $records = @(Stop-CtOrder paper $id)
        $records.EventType | Should -Be @('TRADE_REQUESTED', 'TRADE_EXECUTED')
        $records[1].Details.status | Should -Be 'Cancelled'
        (Get-CtOrder paper $id).Status | Should -Be 'Cancelled'
        Get-Hold USD | Should -Be 0
        Get-Available USD | Should -Be 10000
        # The price crossing later fills nothing.
        @(Set-CtPaperPrice BTC-USD 40000).Count | Should -Be 0
        { Stop-CtOrder paper $id -ErrorAction Stop } | Should -Throw -ErrorId 'OrderNotOpen,*'
    }

    It 'reports an unknown order id on cancel with the exchange''s OrderNotFound' {
        { Stop-CtOrder paper 'paper-nope' -ErrorAction Stop } | Should -Throw -ErrorId 'OrderNotFound,*'
        (Get-CtAuditLog -EventType TRADE_FAILED -Last 1).Details.error_id | Should -Be 'OrderNotFound'
    }

    It 'cancels the open orders when trading is revoked, each audited, so a later price move fills nothing' {
        $id = (Invoke-CtTestTrade paper BTC-USD Buy 0.01 -LimitPrice 50000).Records[1].Details.order_id
        $records = @(Revoke-CtTrading paper)
        $records.EventType | Should -Be @('PERMISSION_CHANGED', 'TRADE_REQUESTED', 'TRADE_EXECUTED')
        $records[1].Details.action | Should -Be 'cancel'
        $records[1].Details.order_id | Should -Be $id
        (Get-CtOrder paper $id).Status | Should -Be 'Cancelled'
        @(Set-CtPaperPrice BTC-USD 40000).Count | Should -Be 0
        Get-Available USD | Should -Be 10000
    }

    It 'writes TRADE_EXECUTED for a limit order that fills after its grant was revoked outside the module' {
        $id = (Invoke-CtTestTrade paper BTC-USD Buy 0.01 -LimitPrice 50000).Records[1].Details.order_id
        Invoke-RawSql 'DELETE FROM grants;'
        $fill = Set-CtPaperPrice BTC-USD 49000
        $fill.EventType | Should -Be 'TRADE_EXECUTED'
        $fill.Details.order_id | Should -Be $id
    }

    It 'refuses to revoke a credential that does not exist with CredentialNotFound' {
        $before = @(Get-CtAuditLog).Count
        { Revoke-CtTrading paper -Name nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'CredentialNotFound,*'
        @(Get-CtAuditLog).Count | Should -Be $before
    }
}

Describe 'Reads' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-CtPaperPrice BTC-USD 65000 | Out-Null
    }

    It 'need a stored credential: CredentialNotFound otherwise' {
        { Get-CtBalance paper -ErrorAction Stop } | Should -Throw -ErrorId 'CredentialNotFound,*'
        { Get-CtTicker paper BTC-USD -ErrorAction Stop } | Should -Throw -ErrorId 'CredentialNotFound,*'
        { Get-CtOrder paper -Name default -ErrorAction Stop } | Should -Throw -ErrorId 'CredentialNotFound,*'
        @(Get-CtOrder paper -ErrorAction Stop).Count | Should -Be 0 -Because 'without -Name it lists the orders of every stored paper credential: none'
    }

    It 'need no grant' {
        Set-CtApiKey paper 'demo-api-key' (ConvertTo-TestSecureString 'demo-api-secret') | Out-Null
        Reset-CtPaperAccount -Balance @{ USD = 10000; BTC = 0.5 } | Out-Null
        (Get-CtPermission paper).Level | Should -Be 'ReadOnly'
        $balances = @(Get-CtBalance paper)
        $balances.Currency | Should -Be @('BTC', 'USD')
        $balances[0].PSObject.TypeNames[0] | Should -Be 'CryptoTrader.Balance'
        $balances[0].Exchange | Should -Be 'paper'
        $balances[0].Name | Should -Be 'default'
        $balances[0].Available | Should -Be 0.5
        $balances[1].Hold | Should -Be 0
        $ticker = Get-CtTicker paper BTC-USD
        $ticker.Price | Should -Be 65000
        $ticker.Price | Should -BeOfType [decimal]
        $ticker.Symbol | Should -Be 'BTC-USD'
        @(Get-CtOrder paper).Count | Should -Be 0
        @(Get-CtAuditLog -EventType TRADE_REJECTED).Count | Should -Be 0
    }
}

Describe 'Bad input' {
    BeforeEach { New-TradingHome; Grant-Trading }

    It 'refuses quantity <Quantity> with InvalidOrder and records nothing' -ForEach @(
        @{ Quantity = 0 }
        @{ Quantity = -1 }
    ) {
        $before = @(Get-CtAuditLog).Count
        $result = Invoke-CtTestTrade paper BTC-USD Buy $Quantity
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'InvalidOrder,*'
        $result.Error.Exception.Message | Should -Match 'quantity'
        @(Get-CtAuditLog).Count | Should -Be $before
        @(Get-CtOrder paper).Count | Should -Be 0
    }

    It 'refuses a non-positive limit price with InvalidOrder' {
        (Invoke-CtTestTrade paper BTC-USD Buy 0.01 -LimitPrice 0).Error.FullyQualifiedErrorId | Should -BeLike 'InvalidOrder,*'
        @(Get-CtAuditLog -EventType TRADE_REQUESTED, TRADE_REJECTED).Count | Should -Be 0
    }

    It 'refuses the symbol BTCUSD with InvalidOrder and records nothing' {
        $before = @(Get-CtAuditLog).Count
        $result = Invoke-CtTestTrade paper BTCUSD Buy 0.01
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'InvalidOrder,*'
        $result.Error.Exception.Message | Should -Match 'BASE-QUOTE'
        @(Get-CtAuditLog).Count | Should -Be $before
    }

    It 'accepts btc-usd, normalized to BTC-USD' {
        $result = Invoke-CtTestTrade paper btc-usd Buy 0.01
        $result.Error | Should -BeNullOrEmpty
        $result.Records[0].Details.symbol | Should -Be 'BTC-USD'
        (Get-CtOrder paper).Symbol | Should -Be 'BTC-USD'
    }

    It 'refuses an unknown exchange with UnknownExchange and records nothing' {
        $before = @(Get-CtAuditLog).Count
        $result = Invoke-CtTestTrade nosuchexchange BTC-USD Buy 0.01
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'UnknownExchange,*'
        $result.Records.Count | Should -Be 0
        @(Get-CtAuditLog).Count | Should -Be $before
        { Get-CtBalance nosuchexchange -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownExchange,*'
        { Grant-CtTrading nosuchexchange -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownExchange,*'
    }

    It 'accepts the exchange name in any case' {
        (Invoke-CtTestTrade PAPER BTC-USD Buy 0.01).Records[0].Details.exchange | Should -Be 'paper'
    }
}
