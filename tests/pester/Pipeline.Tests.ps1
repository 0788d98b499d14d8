# Pipelines that behave like PowerShell's own (issue 19): each input on its own, CSV input, Export-CtAuditLog of piped
# records, audit records as plain objects, several symbols, orders across credentials, wildcards, registered vaults.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    $PSDefaultParameterValues['*-Ct*:WarningAction'] = 'SilentlyContinue'
    $PSDefaultParameterValues['*-Ct*:Confirm'] = $false

    # A data folder with paper credentials 'default' (trading granted, at most 1000 USD an order) and 'bot1' (read-only),
    # 100000 USD each, BTC-USD at 65000 and ETH-USD at 3000.
    function New-PipelineHome {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        foreach ($name in 'default', 'bot1') {
            Set-CtApiKey paper "key-$name" (ConvertTo-TestSecureString "secret-$name") -Name $name | Out-Null
            Reset-CtPaperAccount -Balance @{ USD = 100000 } -Name $name | Out-Null
        }
        Set-CtPaperPrice BTC-USD 65000 | Out-Null
        Set-CtPaperPrice ETH-USD 3000 | Out-Null
        Grant-CtTrading paper -Duration (New-TimeSpan -Hours 1) -MaxOrderValue 1000 | Out-Null
    }

    # CSV text as Import-Csv reads it from a file.
    function Import-TestCsv([string] $Text) {
        $path = Join-Path $DataHome ("batch-" + [guid]::NewGuid().ToString('N') + '.csv')
        Set-Content -Path $path -Value $Text
        Import-Csv -Path $path
    }
}

AfterAll {
    Restore-CtTestSession $script:Saved
}

Describe 'Each pipeline input on its own' {
    BeforeEach { New-PipelineHome }

    It 'goes on after a refused order, and earlier output reaches the next command at once' {
        $rows = Import-TestCsv "Exchange,Symbol,Side,Quantity`npaper,BTC-USD,Buy,0.01`npaper,BTC-USD,Buy,1`npaper,ETH-USD,Buy,0.1"
        $log = [Collections.Generic.List[string]]::new()
        & { foreach ($row in $rows) { $log.Add("in $($row.Quantity)"); $row } } |
            Invoke-CtTrade -ErrorVariable refused -ErrorAction SilentlyContinue |
            ForEach-Object { $log.Add("out $($_.EventType)") }
        $log | Should -Be @(
            'in 0.01', 'out TRADE_REQUESTED', 'out TRADE_EXECUTED',
            'in 1', 'out TRADE_REJECTED',
            'in 0.1', 'out TRADE_REQUESTED', 'out TRADE_EXECUTED')
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be 'OrderValueOverLimit,CryptoTrader.PowerShell.Commands.InvokeCtTradeCommand'
        $refused[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        (Get-CtOrder paper -Name default | Sort-Object Symbol).Symbol | Should -Be @('BTC-USD', 'ETH-USD')
    }

    It 'writes a refusal as a non-terminating error that -ErrorAction SilentlyContinue silences' {
        $output = Invoke-CtTrade paper BTC-USD Buy 1 -ErrorAction SilentlyContinue -ErrorVariable refused 2>&1
        @($output | Where-Object { $_ -is [Management.Automation.ErrorRecord] }).Count | Should -Be 0
        $output.EventType | Should -Be 'TRADE_REJECTED'
        $refused.Count | Should -Be 1
        $refused[0].Exception.ErrorId | Should -Be 'OrderValueOverLimit'
    }

    It 'throws the same ErrorRecord with -ErrorAction Stop, for try/catch' {
        $caught = $null
        try { Invoke-CtTrade paper BTC-USD Buy 1 -ErrorAction Stop | Out-Null } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'OrderValueOverLimit,*'
        $caught.CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'lists the balances of a good credential after an unknown one' {
        $inputs = @([pscustomobject]@{ Exchange = 'paper'; Name = 'nobody' }, [pscustomobject]@{ Exchange = 'paper'; Name = 'bot1' })
        $balances = @($inputs | Get-CtBalance -ErrorVariable failed -ErrorAction SilentlyContinue)
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'CredentialNotFound,*'
        $balances.Name | Should -Be @('bot1')
        $balances.Available | Should -Be @(100000)
    }

    It 'stops at a failure that every later input would meet too (the key store is locked)' {
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'pipeline passphrase') | Out-Null
        Set-CtApiKey paper 'k' (ConvertTo-TestSecureString 's') | Out-Null
        Lock-CtKeyStore
        $inputs = @([pscustomobject]@{ Exchange = 'paper' }, [pscustomobject]@{ Exchange = 'paper' })
        $thrown = { $inputs | Get-CtBalance -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'KeyStoreLocked,*' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'SecurityError'
    }

    It 'reports each symbol of -Symbol on its own' {
        $tickers = @(Get-CtTicker paper BTC-USD, XRP-USD, eth-usd -ErrorVariable failed -ErrorAction SilentlyContinue)
        $tickers.Symbol | Should -Be @('BTC-USD', 'ETH-USD')
        $tickers.Price | Should -Be @(65000, 3000)
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'UnknownSymbol,*'
    }

    It 'removes the keys it can and reports the one it cannot' {
        $inputs = @([pscustomobject]@{ Exchange = 'paper'; Name = 'nobody' }, [pscustomobject]@{ Exchange = 'paper'; Name = 'bot1' })
        $records = @($inputs | Remove-CtApiKey -ErrorVariable failed -ErrorAction SilentlyContinue)
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'CredentialNotFound,*'
        $records[0].Details.name | Should -Be 'bot1'
        (Get-CtApiKey).Name | Should -Be @('default')
    }
}

Describe 'Empty CSV cells' {
    BeforeEach { New-PipelineHome }

    It 'bind as not given: a market order without LimitPrice or ClientOrderId, on the default credential' {
        $rows = Import-TestCsv "Exchange,Name,Symbol,Side,Quantity,LimitPrice,ClientOrderId`npaper,,BTC-USD,Buy,0.01,,`npaper,,ETH-USD,Buy,0.1,2900,batch-7"
        $records = @($rows | Invoke-CtTrade -ErrorAction Stop)
        $executed = @($records | Where-Object EventType -EQ 'TRADE_EXECUTED')
        $executed.Count | Should -Be 2
        $executed[0].Details.type | Should -Be 'Market'
        $executed[0].Details.name | Should -Be 'default'
        $executed[0].Details.client_order_id | Should -Match '^ct-'
        $executed[1].Details.type | Should -Be 'Limit'
        $executed[1].Details.client_order_id | Should -Be 'batch-7'
    }

    It 'bind as not given for a grant: no expiry and no limits' {
        $rows = Import-TestCsv "Exchange,Name,Duration,MaxOrderValue,MaxOrdersPerDay,AllowedSymbol`npaper,bot1,,,,"
        $record = $rows | Grant-CtTrading -ErrorAction Stop
        $record.Details.action | Should -Be 'granted'
        $permission = Get-CtPermission paper -Name bot1
        $permission.Level | Should -Be 'TradingEnabled'
        $permission.ExpiresAt | Should -BeNullOrEmpty
        $permission.MaxOrderValue | Should -BeNullOrEmpty
        $permission.MaxOrdersPerDay | Should -BeNullOrEmpty
        $permission.AllowedSymbols | Should -BeNullOrEmpty
    }

    It 'bind as not given for Get-CtOrder filters' {
        Invoke-CtTrade paper BTC-USD Buy 0.01 | Out-Null
        $rows = Import-TestCsv "Exchange,Name,OrderId,Status,Symbol`npaper,,,,"
        @($rows | Get-CtOrder -ErrorAction Stop).Count | Should -Be 1
    }
}

Describe 'Export-CtAuditLog with piped records' {
    BeforeEach {
        New-PipelineHome
        Invoke-CtTrade paper BTC-USD Buy 0.01 | Out-Null
        Invoke-CtTrade paper BTC-USD Buy 1 -ErrorAction SilentlyContinue | Out-Null
        $script:Path = Join-Path (New-Item -ItemType Directory -Force "$DataHome-out") 'p1.json'  # outside the data folder, where exports are refused
    }

    It 'writes exactly the piped records, all into one file, in their order' {
        $picked = @(Get-CtAuditLog -Last 2)
        $file = Get-CtAuditLog -Last 2 | Export-CtAuditLog -Path $Path
        $file.FullName | Should -Be $Path
        $exported = @(Get-Content $Path -Raw | ConvertFrom-Json -DateKind String)
        $exported.Count | Should -Be 2
        $exported.event_type | Should -Be $picked.EventType
        $exported.event_type | Should -Be @('TRADE_EXECUTED', 'TRADE_REJECTED')
        $exported[1].details.error_id | Should -Be 'OrderValueOverLimit'
        @($exported[0].PSObject.Properties.Name) | Should -Be @('timestamp', 'event_type', 'user_id', 'details')
    }

    It 'keeps the order they come in, and writes JSON Lines too' {
        $picked = @(Get-CtAuditLog -EventType PERMISSION_CHANGED, TRADE_REJECTED)
        [array]::Reverse($picked)
        $picked | Export-CtAuditLog -Path $Path -Format JsonLines | Out-Null
        $lines = @(Get-Content $Path)
        $lines.Count | Should -Be 2
        ($lines | ForEach-Object { ($_ | ConvertFrom-Json).event_type }) | Should -Be @('TRADE_REJECTED', 'PERMISSION_CHANGED')
    }

    It 'exports the records a state-changing cmdlet wrote' {
        Invoke-CtTrade paper ETH-USD Buy 0.1 | Export-CtAuditLog -Path $Path | Out-Null
        (Get-Content $Path -Raw | ConvertFrom-Json).event_type | Should -Be @('TRADE_REQUESTED', 'TRADE_EXECUTED')
    }

    It 'writes an empty export for a pipeline that brings no record' {
        Get-CtAuditLog -UserId 'nobody' | Export-CtAuditLog -Path $Path | Out-Null
        Get-Content $Path -Raw | Should -Be '[]'
    }

    It 'still queries as before without pipeline input' {
        Export-CtAuditLog -Path $Path -EventType TRADE_REJECTED | Out-Null
        @(Get-Content $Path -Raw | ConvertFrom-Json).event_type | Should -Be @('TRADE_REJECTED')
        Export-CtAuditLog -Path $Path -Force | Out-Null
        @(Get-Content $Path -Raw | ConvertFrom-Json).Count | Should -Be @(Get-CtAuditLog).Count
    }

    It 'fails once, terminating, when the file exists, and leaves it as it was' {
        Set-Content -Path $Path -Value 'precious'
        $thrown = { Get-CtAuditLog -Last 3 | Export-CtAuditLog -Path $Path -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'ExportFileExists,*' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'WriteError'
        Get-Content $Path | Should -Be 'precious'
    }

    It 'leaves no file when the pipeline fails before the end, and none with -WhatIf' {
        { Get-CtAuditLog | ForEach-Object { $_; if ($_.Sequence -eq 3) { throw 'upstream failed' } } | Export-CtAuditLog -Path $Path } | Should -Throw 'upstream failed'
        Get-CtAuditLog -Last 2 | Export-CtAuditLog -Path $Path -WhatIf | Out-Null
        @(Get-ChildItem (Split-Path $Path) -Filter 'p1.json*').Count | Should -Be 0
    }
}

Describe 'CryptoTrader.AuditRecord as a plain object' {
    BeforeAll {
        New-PipelineHome
        Invoke-CtTrade paper BTC-USD Buy 0.01 | Out-Null
        $script:Record = Get-CtAuditLog -EventType TRADE_EXECUTED -Last 1
    }
    BeforeEach { $env:CRYPTOTRADER_HOME = $script:DataHome }

    It 'is one object with properties, not a dictionary' {
        $Record.Count | Should -Be 1
        $members = (Get-Member -InputObject $Record).Name
        $members | Should -Not -Contain 'Add'
        $members | Should -Not -Contain 'Clear'
        $members | Should -Not -Contain 'Remove'
        foreach ($name in 'Sequence', 'Timestamp', 'EventType', 'UserId', 'Details', 'ChainHash', 'PreviousHash', 'KeyId', 'Head') {
            $members | Should -Contain $name
        }
        $Record.Details.order_id | Should -Match '^paper-'
    }

    It 'gives every field to Export-Csv, with Details as key=value text' {
        $path = Join-Path $DataHome 'records.csv'
        Get-CtAuditLog | Export-Csv -Path $path
        $rows = @(Import-Csv $path)
        $rows.Count | Should -Be @(Get-CtAuditLog).Count
        @($rows[0].PSObject.Properties.Name) | Should -Be @('Sequence', 'Timestamp', 'EventType', 'UserId', 'Details', 'ChainHash', 'PreviousHash', 'KeyId', 'Head')
        $row = $rows | Where-Object Sequence -EQ $Record.Sequence
        $row.Details | Should -Match '^exchange=paper; name=default; symbol=BTC-USD; side=Buy; type=Market; quantity=0\.01; '
        $row.Details | Should -Match "; order_id=$($Record.Details.order_id); status=Filled; "
        $row.Details | Should -Not -Match 'OrderedDictionary|System\.'
        $row.ChainHash | Should -Be $Record.ChainHash
    }

    It 'gives every field to ConvertTo-Json, Details as an object and the time in UTC with Z' {
        $json = $Record | ConvertTo-Json -Depth 3 | ConvertFrom-Json -DateKind String
        $json.Sequence | Should -Be $Record.Sequence
        $json.Timestamp | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$'
        $json.EventType | Should -Be 'TRADE_EXECUTED'
        $json.Details.status | Should -Be 'Filled'
        $json.Head | Should -Be $Record.Head
    }
}

Describe 'Get-CtOrder across credentials' {
    BeforeAll {
        New-PipelineHome
        Grant-CtTrading paper -Name bot1 | Out-Null
        Invoke-CtTrade paper BTC-USD Buy 0.01 | Out-Null
        Invoke-CtTrade paper ETH-USD Buy 0.1 -LimitPrice 2900 | Out-Null
        Invoke-CtTrade paper ETH-USD Sell 0.1 -LimitPrice 3100 -Name bot1 -ErrorAction SilentlyContinue | Out-Null
        Invoke-CtTrade paper ETH-USD Buy 0.2 -Name bot1 | Out-Null
    }
    BeforeEach { $env:CRYPTOTRADER_HOME = $script:DataHome }

    It 'lists the orders of every credential without -Exchange' {
        $orders = @(Get-CtOrder)
        $orders.Count | Should -Be 3
        ($orders | ForEach-Object { "$($_.Name) $($_.Symbol) $($_.Status)" } | Sort-Object) | Should -Be @('bot1 ETH-USD Filled', 'default BTC-USD Filled', 'default ETH-USD Open')
        ($orders.Name | Select-Object -Unique) | Should -Be @('bot1', 'default') -Because 'each credential''s orders come together, in the order Get-CtApiKey lists the credentials'
    }

    It 'filters by -Status and -Symbol' {
        (Get-CtOrder -Status Open).Name | Should -Be 'default'
        @(Get-CtOrder -Symbol eth-usd).Count | Should -Be 2
        @(Get-CtOrder -Status Filled -Symbol ETH-USD).Name | Should -Be 'bot1'
        @(Get-CtOrder -Status Cancelled).Count | Should -Be 0
        { Get-CtOrder -Status Lost -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidOrder,*'
        @(Get-CtOrder -Status open).Count | Should -Be 1
        { Get-CtOrder -Symbol 'not a symbol' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidOrder,*'
    }

    It 'takes wildcards for -Exchange and -Name, and names a literal -Name that matches nothing' {
        @(Get-CtOrder -Exchange pap* -Name bot*).Count | Should -Be 1
        @(Get-CtOrder -Exchange coin*).Count | Should -Be 0
        { Get-CtOrder -Name nobody -ErrorAction Stop } | Should -Throw -ErrorId 'CredentialNotFound,*'
        { Get-CtOrder -Exchange kraken -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownExchange,*'
    }
}

Describe 'Wildcards for -Exchange and -Name' {
    BeforeAll { New-PipelineHome }
    BeforeEach { $env:CRYPTOTRADER_HOME = $script:DataHome }

    It 'are accepted for both by the listing cmdlets' {
        @(Get-CtApiKey -Exchange pap* -Name bot*).Name | Should -Be 'bot1'
        @(Get-CtApiKey -Exchange 'p[a]per').Count | Should -Be 2
        @(Get-CtPermission -Exchange *a*).Count | Should -Be 2
        @(Test-CtApiKey -Exchange pap*).IsValid | Should -Be @($true, $true)
        @(Get-CtApiKey -Exchange coin*).Count | Should -Be 0
    }

    It 'are refused for both by the cmdlets that act on one credential' {
        $thrown = { Get-CtBalance -Exchange pap* -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownExchange,*' -PassThru
        $thrown.Exception.Message | Should -Match 'wildcards select credentials in Get-CtApiKey'
        $thrown = { Get-CtBalance -Exchange paper -Name bot* -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCredentialName,*' -PassThru
        $thrown.Exception.Message | Should -Match 'wildcards select credentials in Get-CtApiKey'
        { Remove-CtApiKey -Exchange paper -Name 'bot?' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCredentialName,*'
        (Get-CtApiKey).Count | Should -Be 2
    }

    It 'a bad pattern is refused for both' {
        { Get-CtApiKey -Exchange 'pap[' -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownExchange,*'
        { Get-CtApiKey -Name 'bot[' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCredentialName,*'
    }
}

Describe 'Set-CtConfig -Vault' {
    BeforeEach {
        New-PipelineHome
        $env:PSModulePath = $env:CT_TEST_MODULES + [IO.Path]::PathSeparator + $script:Saved.ModulePath
        $env:HOME = Join-Path $DataHome 'profile'
        New-Item -ItemType Directory -Path $env:HOME -Force | Out-Null
    }
    AfterEach {
        $env:PSModulePath = $script:Saved.ModulePath
        $env:HOME = $script:Saved.Home
    }

    It 'refuses a vault that is not registered, and changes nothing' {
        $before = @(Get-CtAuditLog).Count
        $thrown = { Set-CtConfig -Vault nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'VaultNotRegistered,*' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $thrown.TargetObject | Should -Be 'nosuch'
        $thrown.Exception.Message | Should -Match 'Register-SecretVault'
        (Get-CtConfig).Vault | Should -BeNullOrEmpty
        @(Get-CtAuditLog).Count | Should -Be $before
    }

    It 'accepts a registered vault, and an empty string resets it' {
        Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name TeamVault -ModuleName (Join-Path $env:CT_TEST_MODULES 'CtTestVault') `
            -VaultParameters @{ Path = (Join-Path $env:HOME 'vault.json') }
        (Set-CtConfig -Vault TeamVault -ErrorAction Stop).Details.new_value | Should -Be 'TeamVault'
        (Get-CtConfig).Vault | Should -Be 'TeamVault'
        Set-CtConfig -Vault '' -ErrorAction Stop | Out-Null
        (Get-CtConfig).Vault | Should -BeNullOrEmpty
    }
}
