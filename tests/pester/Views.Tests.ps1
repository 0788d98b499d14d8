# Default views fit 80 columns and lead with what a user acts on; every time a view shows is UTC marked with Z (issue 19).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    $PSDefaultParameterValues['*-Ct*:WarningAction'] = 'SilentlyContinue'
    $PSDefaultParameterValues['*-Ct*:Confirm'] = $false
    if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

    # Real objects of every output type, with long names and values where a user can have them.
    $script:DataHome = New-CtTestHome
    $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
    $name = 'portfolio-long-name-01'
    Set-CtApiKey paper 'view-key' (ConvertTo-TestSecureString 'view-secret') -Name $name | Out-Null
    Reset-CtPaperAccount -Balance @{ USD = 1234567.89; BTC = 0.12345678 } -Name $name | Out-Null
    Set-CtPaperPrice BTC-USD 65432.1 | Out-Null
    Grant-CtTrading paper -Name $name -Duration (New-TimeSpan -Hours 8) -MaxOrderValue 100000 -MaxOrdersPerDay 20 -AllowedSymbol BTC-USD | Out-Null
    Invoke-CtTrade paper BTC-USD Buy 0.12345678 -Name $name | Out-Null
    Invoke-CtTrade paper BTC-USD Sell 0.01 -LimitPrice 99999.99 -Name $name | Out-Null
    Invoke-CtTrade paper BTC-USD Buy 5 -Name $name -ErrorAction SilentlyContinue | Out-Null
    $script:Objects = [ordered]@{
        'CryptoTrader.Order'             = @(Get-CtOrder)
        'CryptoTrader.PermissionInfo'    = @(Get-CtPermission)
        'CryptoTrader.SecurityFinding'   = @(Test-CtSecurity)
        'CryptoTrader.AuditRecord'       = @(Get-CtAuditLog)
        'CryptoTrader.ApiKeyInfo'        = @(Get-CtApiKey)
        'CryptoTrader.ApiKeyCheck'       = @(Test-CtApiKey)
        'CryptoTrader.Balance'           = @(Get-CtBalance paper -Name $name)
        'CryptoTrader.Ticker'            = @(Get-CtTicker paper BTC-USD -Name $name)
        'CryptoTrader.ConfigInfo'        = @(Get-CtConfig)
        'CryptoTrader.AuditVerification' = @(Test-CtAuditLog)
    }

    function Get-Rendered($Objects, [string] $Format = 'Default') {
        $text = if ($Format -eq 'List') { $Objects | Format-List | Out-String -Width 80 } else { $Objects | Out-String -Width 80 }
        return @($text -split "`r?`n" | ForEach-Object { $_.TrimEnd() } | Where-Object { $_ })
    }

    # The header line of a table and the names in it, in order.
    function Get-Columns([string[]] $Lines) {
        $index = [array]::FindIndex($Lines, [Predicate[string]] { param($l) $l -match '^-+( +-+)*$' })
        $index | Should -BeGreaterThan 0 -Because 'a table has a header and a dashed line'
        return @($Lines[$index - 1] -split '\s+' | Where-Object { $_ })
    }
}

AfterAll {
    Restore-CtTestSession $script:Saved
}

Describe 'The default view of <Type> at 80 columns' -ForEach @(
    @{ Type = 'CryptoTrader.Order'; Leading = @('Status', 'Symbol', 'Side'); Columns = @('Status', 'Symbol', 'Side', 'Quantity', 'FilledQuantity', 'AveragePrice', 'OrderId') }
    @{ Type = 'CryptoTrader.PermissionInfo'; Leading = @('Level', 'ExpiresAt', 'IntegrityValid'); Columns = @('Level', 'ExpiresAt', 'IntegrityValid', 'Exchange', 'Name') }
    @{ Type = 'CryptoTrader.SecurityFinding'; Leading = @('Severity', 'Check', 'Message'); Columns = @('Severity', 'Check', 'Message') }
    @{ Type = 'CryptoTrader.AuditRecord'; Leading = @('Sequence', 'Timestamp', 'EventType'); Columns = @('Sequence', 'Timestamp', 'EventType', 'UserId', 'Details') }
    @{ Type = 'CryptoTrader.ApiKeyInfo'; Leading = @('Exchange', 'Name', 'Permission'); Columns = @('Exchange', 'Name', 'Permission', 'AgeDays', 'CanTransfer', 'Fingerprint') }
    @{ Type = 'CryptoTrader.ApiKeyCheck'; Leading = @('IsValid'); Columns = @('IsValid', 'Exchange', 'Name', 'Fingerprint', 'EncryptionKeyId') }
    @{ Type = 'CryptoTrader.Balance'; Leading = @('Exchange'); Columns = @('Exchange', 'Name', 'Currency', 'Available', 'Hold') }
    @{ Type = 'CryptoTrader.Ticker'; Leading = @('Exchange'); Columns = @('Exchange', 'Symbol', 'Price', 'Time') }
) {
    It 'fits, and shows every named column in order' {
        $Objects[$Type].Count | Should -BeGreaterThan 0
        $lines = Get-Rendered $Objects[$Type]
        $lines | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
        $columns = Get-Columns $lines
        $columns | Should -Be $Columns
        $columns[0..($Leading.Count - 1)] | Should -Be $Leading
    }
}

Describe 'Views keep the whole value where the table has no room' {
    It 'shows security messages whole (wrapped), and the Target in the list view' {
        $finding = $Objects['CryptoTrader.SecurityFinding'] | Where-Object Check -EQ 'KeyStore'
        $finding.Message.Length | Should -BeGreaterThan 60
        $table = (Get-Rendered $finding) -join ''
        ($table -replace '\s', '') | Should -BeLike ('*' + ($finding.Message -replace '\s', '') + '*')
        (Get-Rendered $finding -Format List) -join "`n" | Should -Match ("Target\s+: " + [regex]::Escape($finding.Target))
    }

    It 'shows the full OrderId, LimitPrice and Created in the order list view' {
        $order = $Objects['CryptoTrader.Order'] | Where-Object Status -EQ 'Open'
        $list = (Get-Rendered $order -Format List) -join "`n"
        $list | Should -Match ([regex]::Escape($order.OrderId))
        $list | Should -Match 'LimitPrice\s+: 99999\.99'
        $list | Should -Match 'Created\s+: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ'
    }

    It 'shows the limits of a grant in the permission list view' {
        $list = (Get-Rendered $Objects['CryptoTrader.PermissionInfo'] -Format List) -join "`n"
        $list | Should -Match 'MaxOrderValue\s+: 100000'
        $list | Should -Match 'ValueCurrency\s+: USD'
        $list | Should -Match 'MaxOrdersPerDay\s+: 20'
        $list | Should -Match 'AllowedSymbols\s+: BTC-USD'
    }
}

Describe 'The list view of <_>' -ForEach @(
    'CryptoTrader.Order', 'CryptoTrader.PermissionInfo', 'CryptoTrader.SecurityFinding', 'CryptoTrader.AuditRecord', 'CryptoTrader.ApiKeyInfo',
    'CryptoTrader.ApiKeyCheck', 'CryptoTrader.Balance', 'CryptoTrader.Ticker', 'CryptoTrader.ConfigInfo', 'CryptoTrader.AuditVerification'
) {
    It 'shows every property' {
        $object = $Objects[$_][0]
        $lines = Get-Rendered $object -Format List
        $labels = @($lines | Where-Object { $_ -match '^(\w+)\s+: ?' } | ForEach-Object { $Matches[1] })
        foreach ($property in $object.PSObject.Properties.Name) {
            $labels | Should -Contain $property
        }
    }
}

Describe 'Times' {
    It 'every time a view of <_> shows is UTC marked with Z' -ForEach @(
        'CryptoTrader.Order', 'CryptoTrader.PermissionInfo', 'CryptoTrader.AuditRecord', 'CryptoTrader.Ticker', 'CryptoTrader.ApiKeyInfo'
    ) {
        $objects = $Objects[$_]
        foreach ($format in 'Default', 'List') {
            $text = (Get-Rendered $objects -Format $format) -join "`n"
            $text | Should -Not -Match '\d{1,2}/\d{1,2}/\d{4}' -Because "the $format view shows no culture-formatted time"
            $text | Should -Not -Match '\d\d:\d\d:\d\d(?![Z\d])' -Because "every time in the $format view ends with Z"
            foreach ($object in $objects) {
                foreach ($property in $object.PSObject.Properties | Where-Object { $_.Value -is [datetime] }) {
                    $property.Value.Kind | Should -Be 'Utc' -Because "$_.$($property.Name) is UTC"
                    if ($format -eq 'List') {
                        $text | Should -Match ([regex]::Escape($property.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [cultureinfo]::InvariantCulture)))
                    }
                }
            }
        }
    }

    It 'the ExpiresAt of a grant is the UTC instant of now + Duration' {
        $permission = $Objects['CryptoTrader.PermissionInfo'] | Where-Object Level -EQ 'TradingEnabled'
        $permission.ExpiresAt.Kind | Should -Be 'Utc'
        ($permission.ExpiresAt - [datetime]::UtcNow).TotalHours | Should -BeGreaterThan 7.9
        ($permission.ExpiresAt - [datetime]::UtcNow).TotalHours | Should -BeLessOrEqual 8
    }
}
