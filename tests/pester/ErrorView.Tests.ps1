# Get-Error and every $ErrorView show every ErrorRecord the module raises (issue 19): each ErrorId is raised through a
# cmdlet, and its real ErrorRecord is formatted five ways.
BeforeDiscovery {
    # Every ErrorId a cmdlet can raise here, with how to raise it. Ids not listed are in $NotRaisedHere, with why.
    $Scenarios = @(
        @{ Id = 'UnknownExchange'; Setup = { New-EnvironmentHome }; Raise = { Get-CtBalance kraken } }
        @{ Id = 'InvalidCredentialName'; Setup = { New-EnvironmentHome }; Raise = { Get-CtBalance paper -Name 'has space' } }
        @{ Id = 'CredentialNotFound'; Setup = { New-EnvironmentHome }; Raise = { Get-CtBalance paper -Name nobody } }
        @{ Id = 'InvalidOrder'; Setup = { New-EnvironmentHome }; Raise = { Invoke-CtTrade paper 'not a symbol' Buy 1 } }
        @{ Id = 'TradingNotEnabled'; Setup = { New-EnvironmentHome }; Raise = { Invoke-CtTrade paper BTC-USD Buy 0.01 }; Records = $true }
        @{ Id = 'OrderValueOverLimit'; Setup = { New-EnvironmentHome; Grant-CtTrading paper -MaxOrderValue 100 | Out-Null }; Raise = { Invoke-CtTrade paper BTC-USD Buy 0.01 }; Records = $true }
        @{ Id = 'SymbolNotAllowed'; Setup = { New-EnvironmentHome; Grant-CtTrading paper -AllowedSymbol ETH-USD | Out-Null }; Raise = { Invoke-CtTrade paper BTC-USD Buy 0.01 }; Records = $true }
        @{ Id = 'DailyOrderLimitReached'; Setup = { New-EnvironmentHome; Grant-CtTrading paper -MaxOrdersPerDay 1 | Out-Null; Invoke-CtTrade paper BTC-USD Buy 0.01 | Out-Null }; Raise = { Invoke-CtTrade paper BTC-USD Buy 0.01 }; Records = $true }
        @{ Id = 'TradingPermissionExpired'; Setup = { New-EnvironmentHome; Grant-CtTrading paper -Duration (New-TimeSpan -Seconds 1) | Out-Null; Start-Sleep -Milliseconds 1200 }; Raise = { Invoke-CtTrade paper BTC-USD Buy 0.01 }; Records = $true }
        @{ Id = 'GrantIntegrityFailed'; Setup = { New-EnvironmentHome; Grant-CtTrading paper -MaxOrderValue 100 | Out-Null; Invoke-RawSql "UPDATE grants SET max_order_value = '1000000';" }; Raise = { Invoke-CtTrade paper BTC-USD Buy 0.01 }; Records = $true }
        @{ Id = 'InsufficientFunds'; Setup = { New-EnvironmentHome; Grant-CtTrading paper | Out-Null }; Raise = { Invoke-CtTrade paper BTC-USD Buy 10 }; Records = $true }
        @{ Id = 'OrderValueUnknown'; Setup = { New-EnvironmentHome; Grant-CtTrading paper -MaxOrderValue 100 -ValueCurrency EUR | Out-Null }; Raise = { Invoke-CtTrade paper BTC-USD Buy 0.001 }; Records = $true }
        @{ Id = 'AuditLogTampered'; Setup = { New-EnvironmentHome; Grant-CtTrading paper -MaxOrdersPerDay 2 | Out-Null; Invoke-CtTrade paper BTC-USD Buy 0.001 | Out-Null; Invoke-RawSql "UPDATE audit_state SET facts = replace(facts, '`"orders`":1', '`"orders`":0');" }; Raise = { Invoke-CtTrade paper BTC-USD Buy 0.001 } }
        @{ Id = 'UnknownSymbol'; Setup = { New-EnvironmentHome }; Raise = { Get-CtTicker paper XRP-USD } }
        @{ Id = 'OrderNotFound'; Setup = { New-EnvironmentHome }; Raise = { Stop-CtOrder paper paper-nosuch }; Records = $true }
        @{ Id = 'InvalidGrant'; Setup = { New-EnvironmentHome }; Raise = { Grant-CtTrading paper -MaxOrderValue -1 } }
        @{ Id = 'CredentialIntegrityFailed'; Setup = { New-EnvironmentHome; Invoke-RawSql "UPDATE credentials SET token = 'not-a-fernet-token';"; Reset-CtModuleSession }; Raise = { Get-CtBalance paper } }
        @{ Id = 'InvalidApiKey'; Setup = { New-EnvironmentHome }; Raise = { Set-CtApiKey paper '' (ConvertTo-TestSecureString 's') } }
        @{ Id = 'InvalidApiSecret'; Setup = { New-EnvironmentHome }; Raise = { Set-CtApiKey paper 'k2' (ConvertTo-TestSecureString ' ') } }
        @{ Id = 'ApiSecretRequired'; Setup = { New-EnvironmentHome }; Raise = { Set-CtApiKey paper 'k2' } }
        @{ Id = 'ExportFileExists'; Setup = { New-EnvironmentHome; New-Item -ItemType Directory "$DataHome-out" | Out-Null; Set-Content "$DataHome-out/x.json" 'x' }; Raise = { Export-CtAuditLog "$DataHome-out/x.json" } }
        @{ Id = 'ExportFailed'; Setup = { New-EnvironmentHome }; Raise = { Export-CtAuditLog "$DataHome-out/no/such/folder/x.json" } }
        @{ Id = 'InvalidAuditHead'; Setup = { New-EnvironmentHome }; Raise = { Test-CtAuditLog -ExpectedHead 'yesterday' } }
        @{ Id = 'InvalidSetting'; Setup = { New-EnvironmentHome }; Raise = { Set-CtConfig -AuditUserId "bell`u{0007}" } }
        @{ Id = 'PasswordNotApplicable'; Setup = { New-EnvironmentHome }; Raise = { Set-CtConfig -KeyStore Environment -Password $Passphrase } }
        @{ Id = 'VaultNotRegistered'; Setup = { New-EnvironmentHome }; Raise = { Set-CtConfig -Vault 'nosuch' } }
        @{ Id = 'SecurityCheckFailed'; Setup = { New-EnvironmentHome }; Raise = { Test-CtSecurity -FailOn Info | Out-Null } }
        @{ Id = 'UnknownSecurityCheck'; Setup = { New-EnvironmentHome }; Raise = { Test-CtSecurity -Check NoSuchCheck } }
        @{ Id = 'InvalidTimeRange'; Setup = { New-EnvironmentHome }; Raise = { Get-CtCandle paper BTC-USD OneHour -Start 2024-01-02 -End 2024-01-01 } }
        @{ Id = 'ExchangeHasNoHistory'; Setup = { New-EnvironmentHome }; Raise = { Sync-CtMarketData paper BTC-USD OneHour -Start 2024-01-01 } }
        @{ Id = 'CandleFileUnreadable'; Setup = { New-EnvironmentHome }; Raise = { Import-CtCandle -Path "$DataHome-none.csv" -Exchange paper -Symbol BTC-USD -Granularity OneHour } }
        @{ Id = 'InvalidCandleFile'; Setup = { New-EnvironmentHome; Set-Content "$DataHome-bad.csv" 'time,open,high,low,close,volume', '1704067200,1,2,1,oops,1' }; Raise = { Import-CtCandle -Path "$DataHome-bad.csv" -Exchange paper -Symbol BTC-USD -Granularity OneHour } }
        @{ Id = 'NoCandles'; Setup = { New-EnvironmentHome }; Raise = { Invoke-CtBacktest paper BTC-USD OneHour -Start 2024-01-01 -End 2024-01-02 -Strategy { } } }
        @{ Id = 'InvalidBacktest'; Setup = { New-EnvironmentHome }; Raise = { Invoke-CtBacktest paper BTC-USD OneHour -Start 2024-01-01 -End 2024-01-02 -FeeRate 2 -Strategy { } } }
        @{ Id = 'BacktestStrategyFailed'; Setup = { New-EnvironmentHome; Set-Content "$DataHome-good.csv" 'time,open,high,low,close,volume', '1704067200,1,2,1,1.5,1'; Import-CtCandle -Path "$DataHome-good.csv" -Exchange paper -Symbol BTC-USD -Granularity OneHour | Out-Null }; Raise = { Invoke-CtBacktest paper BTC-USD OneHour -Start 2024-01-01 -End 2024-01-02 -Strategy { throw 'no data feed' } } }
        @{ Id = 'KeyStoreNotUnlockable'; Setup = { New-EnvironmentHome }; Raise = { Unlock-CtKeyStore -Password $Passphrase } }
        @{ Id = 'KeyStoreReadOnly'; Setup = { New-EnvironmentHome }; Raise = { Update-CtEncryptionKey } }
        @{ Id = 'EnvironmentKeyInvalid'; Setup = { New-EnvironmentHome; $env:CRYPTOTRADER_MASTER_KEY = 'not a key' }; Raise = { Get-CtBalance paper } }
        @{ Id = 'KeyRingMismatch'; Setup = { New-EnvironmentHome; $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey; Reset-CtModuleSession }; Raise = { Get-CtBalance paper } }
        @{ Id = 'EnvironmentKeyMissing'; Setup = { New-EnvironmentHome; Set-CtConfig -KeyStore Environment | Out-Null; Remove-Item Env:CRYPTOTRADER_MASTER_KEY; Reset-CtModuleSession }; Raise = { Get-CtBalance paper } }
        @{ Id = 'KeyStoreLocked'; Setup = { New-FileHome }; Raise = { Get-CtBalance paper } }
        @{ Id = 'WrongPassphrase'; Setup = { New-FileHome }; Raise = { Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'not the passphrase') } }
        @{ Id = 'WeakPassphrase'; Setup = { Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore; $script:DataHome = New-CtTestHome }; Raise = { Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'short') } }
        @{ Id = 'PassphraseRequired'; Setup = { New-FileHome }; Raise = { Unlock-CtKeyStore } }
        @{ Id = 'KeyFileInsecure'; Setup = { New-FileHome; chmod 0644 (Join-Path $DataHome 'keyring.key') }; Raise = { Unlock-CtKeyStore -Password $Passphrase } }
        @{ Id = 'KeyFileCorrupt'; Setup = { New-FileHome; [IO.File]::WriteAllText((Join-Path $DataHome 'keyring.key'), 'garbage') }; Raise = { Unlock-CtKeyStore -Password $Passphrase } }
        @{ Id = 'KeyRingMissing'; Setup = { New-FileHome; Remove-Item (Join-Path $DataHome 'keyring.key'); Reset-CtModuleSession }; Raise = { Get-CtBalance paper } }
        @{ Id = 'DatabaseTooNew'; Setup = { New-EnvironmentHome; Invoke-RawSql 'PRAGMA user_version = 999;'; Reset-CtModuleSession }; Raise = { Get-CtApiKey } }
        @{ Id = 'DatabaseCorrupt'; Setup = { New-EnvironmentHome; Reset-CtModuleSession; [IO.File]::WriteAllText((Join-Path $DataHome 'cryptotrader.db'), ('not a database ' * 300)) }; Raise = { Get-CtApiKey } }
        @{ Id = 'DatabaseMissing'; Setup = { New-EnvironmentHome; Reset-CtModuleSession; Remove-Item (Join-Path $DataHome 'cryptotrader.db*') }; Raise = { Get-CtApiKey } }
        @{ Id = 'DataFolderInsecure'; Setup = { New-EnvironmentHome; New-Item -ItemType Directory (Join-Path $DataHome 'keyring.lock') | Out-Null }; Raise = { Get-CtApiKey } }
        @{ Id = 'DataFolderUnavailable'; Setup = { $env:CRYPTOTRADER_HOME = Join-Path (New-CtTestHome) 'a-file'; New-Item -ItemType Directory (Split-Path $env:CRYPTOTRADER_HOME) | Out-Null; Set-Content $env:CRYPTOTRADER_HOME 'x' }; Raise = { Get-CtApiKey } }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    $script:SavedErrorView = $global:ErrorView
    $PSDefaultParameterValues['*-Ct*:WarningAction'] = 'SilentlyContinue'
    $PSDefaultParameterValues['*-Ct*:Confirm'] = $false
    if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }
    $script:Passphrase = ConvertTo-TestSecureString 'error view passphrase'

    # A data folder on the development store with a paper credential 'default' and 10000 USD, BTC-USD at 65000.
    function New-EnvironmentHome {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-CtApiKey paper 'k' (ConvertTo-TestSecureString 's') | Out-Null
        Reset-CtPaperAccount -Balance @{ USD = 10000 } | Out-Null
        Set-CtPaperPrice BTC-USD 65000 | Out-Null
    }

    # A data folder on the encrypted key file with a paper credential; the key file is locked again.
    function New-FileHome {
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        Set-CtApiKey paper 'k' (ConvertTo-TestSecureString 's') | Out-Null
        Lock-CtKeyStore
    }

    function Invoke-RawSql([string] $Sql) { Invoke-CtRawSql -Sql $Sql | Out-Null }

    # Runs the scenario and returns the ErrorRecord it raised, terminating or not.
    function Get-RaisedError([scriptblock] $Raise) {
        $Error.Clear()
        try { & $Raise -ErrorAction SilentlyContinue *> $null } catch { return $_ }
        $raised = @($Error | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        if ($raised.Count -eq 0) { return $null }
        return $raised[-1]
    }

    # As at the prompt, the record shown is the newest in $Error (DetailedView formats $Error[0]).
    function Format-WithErrorView([Management.Automation.ErrorRecord] $Record, [string] $View) {
        $global:Error.Insert(0, $Record)
        $global:ErrorView = $View
        try { return ($Record | Out-String -Width 400) }
        finally { $global:ErrorView = $script:SavedErrorView }
    }

    # Raised elsewhere, by the suites that can set up what they need.
    $script:NotRaisedHere = @{
        DatabaseUnavailable          = 'a storage fault (StorageFaults.Tests.ps1)'
        KeyStoreUnavailable          = 'a failing SecretManagement vault (KeyStoreFaults.Tests.ps1)'
        KeyRingInvalid               = 'a vault holding a damaged key ring (KeyStoreFaults.Tests.ps1)'
        KeyRingLockTimeout           = 'another process holding the key ring lock for its whole timeout'
        AuditWriteFailed             = 'a database that refuses writes (StorageFaults.Tests.ps1)'
        AuditLogRolledBack           = 'a database rolled back behind the key ring''s audit anchor (xunit AuditEndTests)'
        PermissionCheckFailed        = 'an internal failure inside the permission gate (xunit PermissionGateTests)'
        TradeFailed                  = 'a failure after TRADE_REQUESTED that is not an exchange''s answer (xunit PermissionGateTests)'
        ExchangeRequestFailed        = 'Coinbase not answering while a key is stored (xunit CoinbaseServiceTests)'
        ExchangeAuthenticationFailed = 'the Coinbase stand-in server (Coinbase.Tests.ps1)'
        ExchangePermissionDenied     = 'the Coinbase stand-in server (Coinbase.Tests.ps1)'
        KeyCannotTrade               = 'the Coinbase stand-in server (Coinbase.Tests.ps1)'
        KeyringUnavailable           = 'an OS keyring backend (Keyring.Tests.ps1)'
        KeyringServiceMissing        = 'a session bus without a Secret Service (Keyring.Tests.ps1)'
        KeyringLocked                = 'a locked Secret Service collection (Keyring.Tests.ps1)'
        KeyringItemUnreadable        = 'a damaged Secret Service item (Keyring.Tests.ps1)'
        KeyringItemTooLarge          = 'the Windows Credential Manager'
        KeyringFailed                = 'a failing OS keyring backend'
        KeyStoreOccupied             = 'a vault that already holds another key ring (KeyRingLifecycle.Tests.ps1)'
        KeyRingCopyMismatch          = 'a key store that reads back another ring than was written (xunit KeyRingMoveTests)'
        PassphrasesDiffer            = 'a person typing two different new passphrases at a console (KeyRingLifecycle.Tests.ps1)'
    }
    # What a remote exchange answered, kept as the command's ErrorId (the paper exchange's answers are raised above).
    foreach ($answer in 'OrderNotOpen', 'OrderRejected', 'CancelRejected', 'ExchangeResponseInvalid', 'ExchangeTimeout', 'ExchangeUnreachable',
        'ExchangeRateLimited', 'ExchangeUnavailable', 'ExchangeRequestRefused') {
        $script:NotRaisedHere[$answer] = 'an answer of a remote exchange (the Coinbase stand-in, Coinbase.Tests.ps1)'
    }
    $script:Catalog = @(Select-String -Path (Join-Path $PSScriptRoot '../../src/CryptoTrader.Core/Errors/ErrorIds.cs') -Pattern 'public const string (\w+) = "(\w+)";' |
        ForEach-Object { $_.Matches[0].Groups[2].Value })
}

AfterAll {
    Restore-CtTestSession $script:Saved
    $global:ErrorView = $script:SavedErrorView
    Reset-CtModuleSession
}

Describe 'The catalog' {
    It 'has every ErrorId either raised below or named with where it is raised' -TestCases @{ Scenarios = $Scenarios } {
        $Catalog.Count | Should -BeGreaterThan 50
        $covered = @($Scenarios.Id | Select-Object -Unique) + @($NotRaisedHere.Keys | Where-Object { $_ -notin $Scenarios.Id })
        $covered.Count | Should -Be $Catalog.Count
        $Catalog | Where-Object { $_ -notin $covered } | Should -BeNullOrEmpty
        $covered | Where-Object { $_ -notin $Catalog } | Should -BeNullOrEmpty
    }
}

Describe 'The ErrorRecord of <Id>' -ForEach $Scenarios {
    BeforeAll {
        & $Setup
        $script:Record = Get-RaisedError $Raise
        Reset-CtModuleSession
    }

    It 'is raised by the cmdlet, with its ErrorId' {
        $Record | Should -Not -BeNullOrEmpty
        $Record.FullyQualifiedErrorId | Should -BeLike "$Id,CryptoTrader.PowerShell.Commands.*"
    }

    It 'is named in the help NOTES of the cmdlet that raised it (ErrorCatalog.Tests.ps1 checks the rest)' {
        $cmdlet = $Record.InvocationInfo.MyCommand.Name
        $cmdlet | Should -BeLike '*-Ct*'
        ((Get-Help $cmdlet -Full).alertSet.alert.Text -join "`n") | Should -Match "\b$Id\b" -Because "Get-Help $cmdlet -Full must name $Id under NOTES"
    }

    It 'shows in full under Get-Error' {
        $text = $Record | Get-Error | Out-String -Width 400
        $text | Should -Not -Match 'InvokeMethodOnNull|You cannot call a method'
        # The record itself, not a script's own throw inside it (a backtest strategy's), must not be a wrapper.
        $text | Should -Not -Match '(?m)^(CategoryInfo|FullyQualifiedErrorId)\s*:.*ParentContainsErrorRecordException'
        $text | Should -Match ("FullyQualifiedErrorId\s+: " + [regex]::Escape($Record.FullyQualifiedErrorId))
        ($text -replace '\s') | Should -Match ([regex]::Escape(($Record.Exception.Message -replace '\s').Substring(0, 30)))
        if ($Records) {
            $text | Should -Match 'Records\s+:' -Because 'the audit records of a refused or failed trade are part of the exception'
            $text | Should -Match 'EventType\s+: TRADE_(REJECTED|FAILED)'
        }
    }

    It 'shows under $ErrorView = <_>' -ForEach @('NormalView', 'CategoryView', 'ConciseView', 'DetailedView') {
        $text = Format-WithErrorView $Record $_
        $text.Trim() | Should -Not -BeNullOrEmpty
        $text | Should -Not -Match 'InvokeMethodOnNull|You cannot call a method'
        switch ($_) {
            'CategoryView' { $text | Should -Match ([regex]::Escape("$($Record.CategoryInfo.Category):")) }
            # ConciseView wraps the message in lines that start with '|'.
            'ConciseView' { ($text -replace '[\s|]') | Should -Match ([regex]::Escape(($Record.Exception.Message -replace '[\s|]').Substring(0, 30))) }
            default { $text | Should -Match ([regex]::Escape($Record.FullyQualifiedErrorId)) }
        }
    }
}
