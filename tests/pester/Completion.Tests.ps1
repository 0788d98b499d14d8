# Tab completion of -Name, -Symbol, -OrderId, -Status and -Vault from what the data folder and SecretManagement hold (issue 19).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    $PSDefaultParameterValues['*-Ct*:WarningAction'] = 'SilentlyContinue'
    $PSDefaultParameterValues['*-Ct*:Confirm'] = $false

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }

    $script:DataHome = New-CtTestHome
    $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
    Set-CtApiKey paper 'k1' (ConvertTo-TestSecureString 's1') | Out-Null
    Set-CtApiKey paper 'k2' (ConvertTo-TestSecureString 's2') -Name bot1 | Out-Null
    Reset-CtPaperAccount -Balance @{ USD = 100000 } | Out-Null
    Set-CtPaperPrice BTC-USD 65000 | Out-Null
    Set-CtPaperPrice ETH-USD 3000 | Out-Null
    Set-CtPaperPrice SOL-USD 150 | Out-Null
    Grant-CtTrading paper | Out-Null
    Invoke-CtTrade paper BTC-USD Buy 0.01 | Out-Null
    $script:OpenOrder = (Invoke-CtTrade paper ETH-USD Buy 1 -LimitPrice 1 | Select-Object -Last 1).Details.order_id
}

AfterAll {
    Restore-CtTestSession $script:Saved
}

Describe 'Completion from the data folder' {
    BeforeEach { $env:CRYPTOTRADER_HOME = $script:DataHome }

    It 'offers the stored credential names for -Name, of the -Exchange given' {
        Get-Completion 'Get-CtBalance paper -Name ' | Should -Be @('bot1', 'default')
        Get-Completion 'Invoke-CtTrade -Exchange paper -Name b' | Should -Be @('bot1')
        Get-Completion 'Get-CtApiKey -Name ' | Should -Be @('bot1', 'default')
        Get-Completion 'Get-CtOrder -Exchange coinbase -Name ' | Should -BeNullOrEmpty
        Get-Completion 'Remove-CtApiKey paper -Name d' | Should -Be @('default')
    }

    It 'offers the known symbols for -Symbol' {
        Get-Completion 'Get-CtTicker paper -Symbol ' | Should -Be @('BTC-USD', 'ETH-USD', 'SOL-USD')
        Get-Completion 'Invoke-CtTrade paper -Symbol e' | Should -Be @('ETH-USD')
        Get-Completion 'Get-CtOrder -Symbol ' | Should -Contain 'BTC-USD'
        Get-Completion 'Grant-CtTrading paper -AllowedSymbol S' | Should -Be @('SOL-USD')
    }

    It 'offers the open orders for -OrderId, not the filled ones' {
        $OpenOrder | Should -Match '^paper-'
        Get-Completion 'Stop-CtOrder paper -OrderId ' | Should -Be @($OpenOrder)
        Get-Completion 'Get-CtOrder -OrderId ' | Should -Be @($OpenOrder)
        Get-Completion 'Stop-CtOrder paper -Name bot1 -OrderId ' | Should -BeNullOrEmpty
        Get-Completion 'Stop-CtOrder coinbase -OrderId ' | Should -BeNullOrEmpty
    }

    It 'offers the order statuses for -Status' {
        Get-Completion 'Get-CtOrder -Status ' | Should -Be @('Open', 'Filled', 'Cancelled', 'Expired', 'Failed', 'Pending', 'Unknown')
        Get-Completion 'Get-CtOrder -Status f' | Should -Be @('Filled', 'Failed')
    }

    It 'offers nothing, and creates nothing, for a data folder that does not exist' {
        $env:CRYPTOTRADER_HOME = Join-Path $DataHome 'not-there'
        Get-Completion 'Get-CtBalance paper -Name ' | Should -BeNullOrEmpty
        Get-Completion 'Get-CtTicker paper -Symbol ' | Should -BeNullOrEmpty
        $env:CRYPTOTRADER_HOME | Should -Not -Exist
    }
}

Describe 'Completion of Set-CtConfig -Vault' {
    BeforeAll {
        $env:CRYPTOTRADER_HOME = $script:DataHome
        $env:PSModulePath = $env:CT_TEST_MODULES + [IO.Path]::PathSeparator + $script:Saved.ModulePath
        $env:HOME = Join-Path $DataHome 'profile'
        New-Item -ItemType Directory -Path $env:HOME -Force | Out-Null
        foreach ($vault in 'TeamVault', 'Ops Vault') {
            Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name $vault -ModuleName (Join-Path $env:CT_TEST_MODULES 'CtTestVault') `
                -VaultParameters @{ Path = (Join-Path $env:HOME "$vault.json") }
        }
    }
    AfterAll {
        $env:PSModulePath = $script:Saved.ModulePath
        $env:HOME = $script:Saved.Home
    }

    It 'offers the registered vaults, quoted where needed' {
        Get-Completion 'Set-CtConfig -Vault ' | Sort-Object | Should -Be @("'Ops Vault'", 'TeamVault')
        Get-Completion 'Set-CtConfig -Vault T' | Should -Be @('TeamVault')
    }
}
