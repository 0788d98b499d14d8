# Market data and backtesting (issue 20): a year of hourly candles synced from the Coinbase stand-in through a child
# pwsh with a read-only key, a re-run that fetches nothing, the candles read and backtested with the stand-in stopped;
# then CSV imports, reads and backtests in this session, which need no credential and no key ring.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    # The stand-in's made-up market (tests/CoinbaseStub/StubMarket.cs), so the test knows what every candle must hold.
    function Get-StubPrice([long] $Index) {
        $phase = $Index % 500
        $zigzag = if ($phase -lt 250) { $phase } else { 500 - $phase }
        return 20000d + 4d * $zigzag + (($Index * 7919) % 97) * 0.25d
    }

    function Get-StubCandle([long] $Start, [long] $Granularity) {
        $index = [long][Math]::Floor($Start / $Granularity)
        $open = Get-StubPrice $index
        $close = Get-StubPrice ($index + 1)
        [pscustomobject]@{
            Open   = $open
            High   = [Math]::Max($open, $close) + (($index * 31) % 13) * 0.5d
            Low    = [Math]::Min($open, $close) - (($index * 17) % 11) * 0.5d
            Close  = $close
            Volume = 1d + (($index * 101) % 1000) / 100d
        }
    }

    # Runs the script in a child pwsh on the given data folder (trusting the stand-in's CA when one is given) and returns $result.
    function Invoke-MarketChild {
        param([Parameter(Mandatory)] [string] $DataHome, [Parameter(Mandatory)] [string] $MasterKey, $Stub, [Parameter(Mandatory)] [string] $Script)
        $prelude = "`$ErrorActionPreference = 'Stop'`nImport-Module `$env:CT_MODULE_PATH`n`$PSDefaultParameterValues['*-Ct*:WarningAction'] = 'SilentlyContinue'`n`$result = [ordered]@{}`n"
        $environment = @{ CRYPTOTRADER_HOME = $DataHome; CRYPTOTRADER_MASTER_KEY = $MasterKey }
        if ($Stub) {
            $environment += @{ SSL_CERT_FILE = $Stub.CaFile; CT_STUB_URL = $Stub.Url; CT_STUB_KEY_NAME = $Stub.KeyName; CT_STUB_KEY_FILE = $Stub.KeyFile; CT_STUB_LOG = $Stub.RequestLog }
        }
        $child = Invoke-CtChildPwsh -Script ($prelude + $Script + "`n'RESULT:' + (`$result | ConvertTo-Json -Compress -Depth 5)") -Environment $environment
        $line = ($child.Output -split "`n") | Where-Object { $_ -like 'RESULT:*' } | Select-Object -Last 1
        if (-not $line) { throw "The child session failed (exit $($child.ExitCode)):`n$($child.Output)" }
        return ($line.Substring(7) | ConvertFrom-Json)
    }

    # Lines of the stand-in's request log for candle requests: start, end, status and the JWT verdict.
    function Get-CandleRequests($Stub) {
        @(Get-Content $Stub.RequestLog -ErrorAction Ignore) | Where-Object { $_ -match '/candles\?' } | ForEach-Object {
            $method, $target, $status, $jwt = $_ -split ' ', 4
            $query = [Web.HttpUtility]::ParseQueryString(($target -split '\?', 2)[1])
            [pscustomobject]@{ Start = [long] $query['start']; End = [long] $query['end']; Granularity = $query['granularity']; Status = [int] $status; Jwt = $jwt }
        }
    }
}

Describe 'A year of hourly candles from the Coinbase stand-in, with a read-only key' {
    BeforeAll {
        # can_trade false: the key stays read-only and cannot be granted. Every 10th candle request is answered HTTP 429.
        $script:Stub = Start-CoinbaseStub -CanTrade $false -Options '--candle-rate-limit-every', '10'
        $script:DataHome = Join-Path ([IO.Path]::GetTempPath()) ('ct-market-' + [guid]::NewGuid().ToString('N'))
        $script:MasterKey = New-CtTestFernetKey
        $script:YearStart = [DateTimeOffset]::new(2024, 1, 1, 0, 0, 0, [TimeSpan]::Zero).ToUnixTimeSeconds()
        # 366 days of hours, less every 1000th candle (the stand-in's gaps, where nothing traded).
        $script:Expected = @(0..8783 | Where-Object { (($YearStart / 3600 + $_) % 1000) -ne 999 }).Count
    }
    AfterAll {
        Stop-CoinbaseStub $script:Stub
        Remove-Item $script:DataHome -Recurse -Force -ErrorAction Ignore
    }

    It 'syncs the year page by page with signed requests, writes no audit record, and a re-run fetches nothing' {
        $r = Invoke-MarketChild -DataHome $DataHome -MasterKey $MasterKey -Stub $Stub -Script @'
Set-CtConfig -CoinbaseBaseUrl $env:CT_STUB_URL -Confirm:$false | Out-Null
$secret = ConvertTo-SecureString -String (Get-Content $env:CT_STUB_KEY_FILE -Raw) -AsPlainText -Force
Set-CtApiKey -Exchange coinbase -ApiKey $env:CT_STUB_KEY_NAME -ApiSecret $secret -Confirm:$false | Out-Null
$result.Level = (Get-CtPermission -Exchange coinbase).Level
try { Grant-CtTrading -Exchange coinbase -Confirm:$false | Out-Null; $result.Grant = 'granted' } catch { $result.Grant = $_.FullyQualifiedErrorId }
$records = @(Get-CtAuditLog).Count
$first = Sync-CtMarketData -Exchange coinbase -Symbol BTC-USD -Granularity OneHour -Start 2024-01-01 -End 2025-01-01 -Confirm:$false
$result.First = $first | Select-Object Exchange, Symbol, @{ n = 'Granularity'; e = { "$($_.Granularity)" } }, Added, Total, @{ n = 'FirstStart'; e = { [DateTimeOffset]::new($_.First).ToUnixTimeSeconds() } }, @{ n = 'LastStart'; e = { [DateTimeOffset]::new($_.Last).ToUnixTimeSeconds() } }
$result.RecordsAfterFirst = @(Get-CtAuditLog).Count - $records
$result.LogLines = @(Get-Content $env:CT_STUB_LOG).Count
$second = Sync-CtMarketData -Exchange coinbase -Symbol BTC-USD -Granularity OneHour -Start 2024-01-01 -End 2025-01-01 -Confirm:$false
$result.Second = $second | Select-Object Added, Total
$result.LogLinesAfterSecond = @(Get-Content $env:CT_STUB_LOG).Count
$result.RecordsAfterSecond = @(Get-CtAuditLog).Count - $records
$result.View = ($first | Out-String -Width 80)
'@
        $r.Level | Should -Be 'ReadOnly'
        $r.Grant | Should -BeLike 'KeyCannotTrade*'
        $r.First.Exchange | Should -Be 'coinbase'
        $r.First.Symbol | Should -Be 'BTC-USD'
        $r.First.Granularity | Should -Be 'OneHour'
        $r.First.Added | Should -Be $Expected
        $r.First.Total | Should -Be $Expected
        $r.First.FirstStart | Should -Be $YearStart
        $r.First.LastStart | Should -Be ($YearStart + 8783 * 3600)
        $r.RecordsAfterFirst | Should -Be 0
        $r.RecordsAfterSecond | Should -Be 0
        $r.Second.Added | Should -Be 0
        $r.Second.Total | Should -Be $Expected
        # Nothing was requested by the second sync.
        $r.LogLinesAfterSecond | Should -Be $r.LogLines
        $requests = @(Get-CandleRequests $Stub)
        $accepted = @($requests | Where-Object Status -eq 200)
        $accepted.Count | Should -Be 26
        ($accepted.Start | Sort-Object -Unique).Count | Should -Be 26
        $accepted[0].Start | Should -Be $YearStart
        ($accepted | Measure-Object -Property Start -Maximum).Maximum | Should -Be ($YearStart + 25 * 350 * 3600)
        foreach ($request in $accepted) {
            ($request.End + 1 - $request.Start) / 3600 | Should -BeLessOrEqual 350
            $request.Granularity | Should -Be 'ONE_HOUR'
        }
        # The stand-in's rate limit answered requests 10 and 20 with 429; the adapter waited and sent those pages again.
        @($requests | Where-Object Status -eq 429).Count | Should -Be 2
        $requests.Count | Should -Be 28
        @($requests | Where-Object Jwt -ne 'jwt-ok').Count | Should -Be 0
        @(Get-Content $Stub.RequestLog | Where-Object { $_ -notmatch ' jwt-ok$' }).Count | Should -Be 0
        foreach ($line in $r.View -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $r.View | Should -Match "BTC-USD\s+OneHour\s+$Expected\s+$Expected\s+2024-01-01T00:00:00Z\s+2024-12-31T23:00:00Z"
    }

    It 'reads the candles with the stand-in stopped, backtests them and prices the paper exchange from them' {
        Stop-CoinbaseStub $Stub
        $Stub.Process.HasExited | Should -BeTrue
        $r = Invoke-MarketChild -DataHome $DataHome -MasterKey $MasterKey -Script @'
$all = @(Get-CtCandle -Exchange coinbase -Symbol BTC-USD -Granularity OneHour)
$result.Count = $all.Count
$result.Increasing = @(1..($all.Count - 1) | Where-Object { $all[$_].Start -le $all[$_ - 1].Start }).Count -eq 0
$result.Type = $all[0].GetType().FullName
$result.Kinds = @($all | ForEach-Object { $_.Start.Kind.ToString() } | Select-Object -Unique)
$result.DecimalTypes = @($all[0].Open, $all[0].High, $all[0].Low, $all[0].Close, $all[0].Volume | ForEach-Object { $_.GetType().Name } | Select-Object -Unique)
$result.Last = @(Get-CtCandle coinbase BTC-USD OneHour -Last 3 | ForEach-Object { [ordered]@{ Start = [DateTimeOffset]::new($_.Start).ToUnixTimeSeconds(); Open = "$($_.Open)"; High = "$($_.High)"; Low = "$($_.Low)"; Close = "$($_.Close)"; Volume = "$($_.Volume)" } })
$result.March = @(Get-CtCandle coinbase BTC-USD OneHour -Start 2024-03-01 -End 2024-03-02).Count
$result.CandleView = (Get-CtCandle coinbase BTC-USD OneHour -Last 2 | Out-String -Width 80)
$crossover = {
    $slow = $Backtest.Close(50)
    if ($slow.Count -lt 50) { return }
    $fast = [Linq.Enumerable]::Average([decimal[]] $Backtest.Close(10))
    if ($fast -gt [Linq.Enumerable]::Average($slow)) {
        if ($Backtest.Position -eq 0) { $Backtest.Buy(0.1) }
    }
    elseif ($Backtest.Position -gt 0) { $Backtest.Sell($Backtest.Position) }
}
$records = @(Get-CtAuditLog).Count
$run = Invoke-CtBacktest -Exchange coinbase -Symbol BTC-USD -Granularity OneHour -Start 2024-01-01 -End 2025-01-01 -Strategy $crossover
$again = Invoke-CtBacktest -Exchange coinbase -Symbol BTC-USD -Granularity OneHour -Start 2024-01-01 -End 2025-01-01 -Strategy $crossover
$result.Backtest = $run | Select-Object Candles, FinalValue, ReturnPercent, MaxDrawdownPercent, @{ n = 'Trades'; e = { $_.Trades.Count } }, @{ n = 'Filled'; e = { @($_.Trades | Where-Object Status -eq 'Filled').Count } }, @{ n = 'Duration'; e = { $_.Duration.TotalDays } }
$result.Deterministic = ($run | ConvertTo-Json -Depth 4) -eq ($again | ConvertTo-Json -Depth 4)
$result.FirstTrade = $run.Trades[0] | Select-Object Side, Quantity, Price, Fee, Status, @{ n = 'Placed'; e = { [DateTimeOffset]::new($_.Placed).ToUnixTimeSeconds() } }, @{ n = 'Time'; e = { [DateTimeOffset]::new($_.Time).ToUnixTimeSeconds() } }
$result.BacktestView = ($run | Out-String -Width 80)
$result.TradeView = ($run.Trades | Select-Object -First 3 | Out-String -Width 80)
$result.RecordsAfterBacktest = @(Get-CtAuditLog).Count - $records
Set-CtPaperPrice -Symbol BTC-USD -FromCandle -Exchange coinbase -Granularity OneHour -Confirm:$false
Set-CtApiKey -Exchange paper -ApiKey paper-key -ApiSecret (ConvertTo-SecureString paper-secret -AsPlainText -Force) -Confirm:$false | Out-Null
$result.PaperPrice = "$((Get-CtTicker -Exchange paper -Symbol BTC-USD).Price)"
$result.AuditValid = (Test-CtAuditLog).IsValid
'@
        $r.Count | Should -Be $Expected
        $r.Increasing | Should -BeTrue
        $r.Type | Should -Be 'CryptoTrader.Candle'
        $r.Kinds | Should -Be @('Utc')
        $r.DecimalTypes | Should -Be @('Decimal')
        $r.Last.Count | Should -Be 3
        foreach ($candle in $r.Last) {
            $stub = Get-StubCandle $candle.Start 3600
            [decimal] $candle.Open | Should -Be $stub.Open
            [decimal] $candle.High | Should -Be $stub.High
            [decimal] $candle.Low | Should -Be $stub.Low
            [decimal] $candle.Close | Should -Be $stub.Close
            [decimal] $candle.Volume | Should -Be $stub.Volume
        }
        $r.Last[-1].Start | Should -Be ($YearStart + 8783 * 3600)
        $r.March | Should -Be 24
        $r.CandleView | Should -Match 'Series: coinbase BTC-USD OneHour'
        $r.Backtest.Candles | Should -Be $Expected
        $r.Backtest.Duration | Should -Be 366
        $r.Backtest.Filled | Should -BeGreaterThan 2
        $r.Deterministic | Should -BeTrue
        $r.FirstTrade.Side | Should -Be 'Buy'
        $r.FirstTrade.Status | Should -Be 'Filled'
        $r.FirstTrade.Quantity | Should -Be 0.1
        # Filled at the next candle's open, with 0.6 % of the value as the fee.
        $r.FirstTrade.Time | Should -Be ($r.FirstTrade.Placed + 3600)
        [decimal] $r.FirstTrade.Price | Should -Be (Get-StubCandle $r.FirstTrade.Time 3600).Open
        [decimal] $r.FirstTrade.Fee | Should -Be ([decimal] $r.FirstTrade.Price * 0.1d * 0.006d)
        $r.RecordsAfterBacktest | Should -Be 0
        [decimal] $r.PaperPrice | Should -Be (Get-StubCandle ($YearStart + 8783 * 3600) 3600).Close
        $r.AuditValid | Should -BeTrue
        foreach ($view in $r.BacktestView, $r.TradeView, $r.CandleView) {
            foreach ($line in $view -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        }
        $r.BacktestView | Should -Match "BTC-USD\s+OneHour\s+$Expected\s+$($r.Backtest.Trades)\s"
        $r.TradeView | Should -Match 'Buy\s+0\.1\s+\S+\s+\S+\s+Filled'
    }

    It 'reports an unknown product as a non-terminating, audited error and syncs the other symbols; refuses the paper exchange' {
        $script:ErrorStub = Start-CoinbaseStub -CanTrade $false
        try {
            $r = Invoke-MarketChild -DataHome $DataHome -MasterKey $MasterKey -Stub $ErrorStub -Script @'
Set-CtConfig -CoinbaseBaseUrl $env:CT_STUB_URL -Confirm:$false | Out-Null
$secret = ConvertTo-SecureString -String (Get-Content $env:CT_STUB_KEY_FILE -Raw) -AsPlainText -Force
Set-CtApiKey -Exchange coinbase -ApiKey $env:CT_STUB_KEY_NAME -ApiSecret $secret -Confirm:$false | Out-Null
$records = @(Get-CtAuditLog).Count
$out = @(Sync-CtMarketData -Exchange coinbase -Symbol DOGE-USD, ETH-USD -Granularity OneDay -Start 2024-01-01 -End 2024-02-01 -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue)
$result.Summaries = @($out | ForEach-Object { "$($_.Symbol):$($_.Added)" })
$result.Errors = @($failures | ForEach-Object { $_.FullyQualifiedErrorId })
$result.Category = "$($failures[0].CategoryInfo.Category)"
$result.NewRecords = @(Get-CtAuditLog | Select-Object -Skip $records | ForEach-Object { [ordered]@{ EventType = $_.EventType; ErrorId = $_.Details.error_id; Operation = $_.Details.operation; Symbol = $_.Details.symbol } })
try { Sync-CtMarketData -Exchange paper -Symbol BTC-USD -Granularity OneDay -Start 2024-01-01 -Confirm:$false | Out-Null; $result.Paper = 'synced' }
catch { $result.Paper = $_.FullyQualifiedErrorId; $result.PaperMessage = $_.Exception.Message }
try { Sync-CtMarketData -Exchange coinbase -Symbol BTC-USD -Granularity OneDay -Start 2024-02-01 -End 2024-01-01 -Confirm:$false | Out-Null; $result.Order = 'synced' }
catch { $result.Order = $_.FullyQualifiedErrorId }
$result.WhatIf = @(Sync-CtMarketData -Exchange coinbase -Symbol SOL-USD -Granularity OneDay -Start 2024-01-01 -End 2024-02-01 -WhatIf).Count
'@
            $r.Summaries | Should -Be @('ETH-USD:31')
            $r.Errors | Should -Be @('ExchangeRequestRefused,CryptoTrader.PowerShell.Commands.SyncCtMarketDataCommand')
            $r.Category | Should -Be 'InvalidOperation'
            $r.NewRecords.Count | Should -Be 1
            $r.NewRecords[0].EventType | Should -Be 'ERROR'
            $r.NewRecords[0].ErrorId | Should -Be 'ExchangeRequestRefused'
            $r.NewRecords[0].Operation | Should -Be 'GetCandles'
            $r.NewRecords[0].Symbol | Should -Be 'DOGE-USD'
            $r.Paper | Should -BeLike 'ExchangeHasNoHistory,*'
            $r.PaperMessage | Should -Match 'Import-CtCandle'
            $r.Order | Should -BeLike 'InvalidTimeRange,*'
            $r.WhatIf | Should -Be 0
            @(Get-CandleRequests $ErrorStub | Where-Object { $_.Start -eq $YearStart -and $_.Granularity -eq 'ONE_DAY' }).Count | Should -Be 2
        }
        finally { Stop-CoinbaseStub $script:ErrorStub }
    }
}

Describe 'Candles from CSV files, read and backtested without credential or key ring' {
    BeforeAll {
        Import-Module (Get-CtModulePath) -Force
        $script:SavedMasterKey = $env:CRYPTOTRADER_MASTER_KEY
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
        $script:DataHome = New-CtTestHome
        $script:Files = Join-Path $TestDrive 'csv'
        New-Item -ItemType Directory -Path $Files | Out-Null
        # The series worked out by hand in BacktestEngineTests: opens and closes 100/100, 110/120, 130/90, 95/100.
        Set-Content (Join-Path $Files 'good.csv') @(
            'time,open,high,low,close,volume'
            '2024-01-01T00:00:00Z,100,100,100,100,1'
            '1704070800,110,120,110,120,2'
            '2024-01-01T02:00:00Z,130,130,90,90,3'
            '2024-01-01 03:00,95,100,95,100,4.5')
        Set-Content (Join-Path $Files 'bad.csv') @(
            'time,open,high,low,close,volume'
            '2024-01-02T00:00:00Z,1,2,1,1.5,1'
            '2024-01-02T01:00:00Z,1,2,1,oops,1'
            '2024-01-02T02:30:00Z,1,2,1,1.5,1')
        Set-Content (Join-Path $Files 'later.csv') @(
            'time,open,high,low,close,volume'
            '2024-01-01T04:00:00Z,100,101,99,101,1')
    }
    AfterAll {
        $env:CRYPTOTRADER_MASTER_KEY = $script:SavedMasterKey
        Reset-CtModuleSession
    }

    It 'imports a good file whole and refuses a bad one naming its lines, storing nothing from it' {
        $summary = Import-CtCandle -Path (Join-Path $Files 'good.csv') -Exchange paper -Symbol btc-usd -Granularity OneHour
        $summary.PSObject.TypeNames[0] | Should -Be 'CryptoTrader.MarketDataSummary'
        $summary.Added | Should -Be 4
        $summary.Total | Should -Be 4
        $summary.Last | Should -Be ([datetime]::new(2024, 1, 1, 3, 0, 0, [DateTimeKind]::Utc))
        { Import-CtCandle -Path (Join-Path $Files 'bad.csv') -Exchange paper -Symbol BTC-USD -Granularity OneHour -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCandleFile,CryptoTrader.PowerShell.Commands.ImportCtCandleCommand'
        try { Import-CtCandle -Path (Join-Path $Files 'bad.csv') -Exchange paper -Symbol BTC-USD -Granularity OneHour -ErrorAction Stop }
        catch {
            $_.Exception.Message | Should -Match 'line 3: close .oops. is not a number; line 4: 2024-01-02T02:30:00Z does not start a OneHour candle'
            $_.CategoryInfo.Category | Should -Be 'InvalidData'
        }
        @(Get-CtCandle paper BTC-USD OneHour).Count | Should -Be 4
        foreach ($unreadable in (Join-Path $Files 'none.csv'), $Files, 'Env:\PATH', "bad`0name.csv") {
            { Import-CtCandle -Path $unreadable -Exchange paper -Symbol BTC-USD -Granularity OneHour -ErrorAction Stop } |
                Should -Throw -ErrorId 'CandleFileUnreadable,CryptoTrader.PowerShell.Commands.ImportCtCandleCommand'
        }
    }

    It 'goes on to the next file of the pipeline after a bad one' {
        $out = @(Get-ChildItem $Files -Filter '*.csv' | Where-Object Name -ne 'good.csv' | Sort-Object Name |
                Import-CtCandle -Exchange paper -Symbol BTC-USD -Granularity OneHour -ErrorVariable failures -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 1
        $out[0].Added | Should -Be 1
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCandleFile,*'
        @(Get-CtCandle paper BTC-USD OneHour).Count | Should -Be 5
    }

    It 'reads candles by range and -Last, oldest first, as typed objects' {
        $candles = @(Get-CtCandle -Exchange PAPER -Symbol BTC-USD -Granularity OneHour -Start '2024-01-01 01:00' -End '2024-01-01 03:00')
        $candles.Start | Should -Be @([datetime]::new(2024, 1, 1, 1, 0, 0, [DateTimeKind]::Utc), [datetime]::new(2024, 1, 1, 2, 0, 0, [DateTimeKind]::Utc))
        $candles[0].PSObject.TypeNames[0] | Should -Be 'CryptoTrader.Candle'
        $candles[0].Close | Should -Be 120
        $candles[0].Close | Should -BeOfType [decimal]
        (Get-CtCandle paper BTC-USD OneHour -Last 2).Close | Should -Be @(100, 101)
        @(Get-CtCandle paper BTC-USD OneDay).Count | Should -Be 0
        { Get-CtCandle paper BTC-USD OneHour -Start 2024-01-02 -End 2024-01-01 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTimeRange,CryptoTrader.PowerShell.Commands.GetCtCandleCommand'
        { Get-CtCandle nowhere BTC-USD OneHour -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownExchange,CryptoTrader.PowerShell.Commands.GetCtCandleCommand'
    }

    It 'backtests the hand-worked series: fills at the next open, fee in USD, value, return and drawdown' {
        $result = Invoke-CtBacktest -Exchange paper -Symbol BTC-USD -Granularity OneHour -Start 2024-01-01 -End '2024-01-01 04:00' -FeeRate 0.01 -InitialBalance @{ USD = 10000 } -Strategy {
            if ($Candle.Start.Hour -eq 0) { $Backtest.Buy(10) }
            if ($Candle.Start.Hour -eq 2) { $Backtest.Sell($Backtest.Position) }
        }
        $result.PSObject.TypeNames[0] | Should -Be 'CryptoTrader.BacktestResult'
        $result.Candles | Should -Be 4
        $result.Trades.Status | Should -Be @('Filled', 'Filled')
        $result.Trades.Price | Should -Be @(110, 95)
        $result.Trades.Fee | Should -Be @(11, 9.5)
        $result.FinalBalance.USD | Should -Be 9829.5
        $result.FinalValue | Should -Be 9829.5
        $result.ReturnPercent | Should -Be -1.705
        $result.MaxDrawdownPercent | Should -Be 2.9735
        $result.Duration | Should -Be ([timespan]::FromHours(4))
        $result.End | Should -Be ([datetime]::new(2024, 1, 1, 4, 0, 0, [DateTimeKind]::Utc))
    }

    It 'refuses what the balance cannot pay, never fills last-candle orders, and uses the defaults' {
        $result = Invoke-CtBacktest paper BTC-USD OneHour -Start 2024-01-01 -End 2024-01-02 -Strategy {
            if ($Candle.Start.Hour -eq 0) { $Backtest.Buy(1000) }
            if ($Candle.Start.Hour -eq 4) { $Backtest.Buy(1) }
        }
        $result.Trades.Status | Should -Be @('Refused', 'Unfilled')
        $result.Trades[0].Reason | Should -Match '110660 USD'
        $result.FinalBalance.USD | Should -Be 10000
        $result.FeeRate | Should -Be 0.006
        $result.Candles | Should -Be 5
    }

    It 'reads -InitialBalance amounts the same in any culture' {
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            $result = Invoke-CtBacktest paper BTC-USD OneHour -Start 2024-01-01 -End 2024-01-02 -InitialBalance @{ USD = 1000.5; BTC = 0.25 } -Strategy { }
        }
        finally { [cultureinfo]::CurrentCulture = $saved }
        $result.FinalBalance.USD | Should -Be 1000.5
        $result.FinalBalance.BTC | Should -Be 0.25
        $result.InitialValue | Should -Be 1025.5
    }

    It 'gives the strategy state from its caller, also when it comes from a module' {
        $closes = [System.Collections.Generic.List[decimal]]::new()
        Invoke-CtBacktest paper BTC-USD OneHour -Start 2024-01-01 -End 2024-01-02 -Strategy { $closes.Add($Candle.Close) } | Out-Null
        $closes | Should -Be @(100, 120, 90, 100, 101)
        $module = New-Module -ScriptBlock {
            $script:Seen = 0
            function New-CountingStrategy { { if ($null -eq $Candle -or $null -eq $Backtest) { throw 'not visible' }; $script:Seen++ } }
            function Get-Seen { $script:Seen }
        }
        Invoke-CtBacktest paper BTC-USD OneHour -Start 2024-01-01 -End 2024-01-02 -Strategy (& $module { New-CountingStrategy }) | Out-Null
        & $module { Get-Seen } | Should -Be 5
    }

    It 'stops on a strategy error naming the candle, and on ranges without candles' {
        $failure = $null
        try { Invoke-CtBacktest paper BTC-USD OneHour -Start 2024-01-01 -End 2024-01-02 -Strategy { if ($Candle.Start.Hour -eq 2) { throw 'no data feed' } } -ErrorAction Stop }
        catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'BacktestStrategyFailed,CryptoTrader.PowerShell.Commands.InvokeCtBacktestCommand'
        $failure.TargetObject.PSObject.TypeNames[0] | Should -Be 'CryptoTrader.Candle'
        $failure.TargetObject.Start | Should -Be ([datetime]::new(2024, 1, 1, 2, 0, 0, [DateTimeKind]::Utc))
        $failure.Exception.Message | Should -Match '2024-01-01T02:00:00Z \(candle 3 of the run\): no data feed\. The backtest stopped\.$'
        $failure.Exception.InnerException.Message | Should -Be 'no data feed'
        { Invoke-CtBacktest paper BTC-USD OneHour -Start 2024-01-01 -End 2024-01-02 -Strategy { $Backtest.Buy(-1) } -ErrorAction Stop } |
            Should -Throw -ErrorId 'BacktestStrategyFailed,CryptoTrader.PowerShell.Commands.InvokeCtBacktestCommand'
        { Invoke-CtBacktest paper BTC-USD OneHour -Start 2025-01-01 -End 2025-01-02 -Strategy { } -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoCandles,CryptoTrader.PowerShell.Commands.InvokeCtBacktestCommand'
        { Invoke-CtBacktest paper BTC-USD OneHour -Start 2024-01-01 -End 2024-01-02 -FeeRate 1 -Strategy { } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidBacktest,CryptoTrader.PowerShell.Commands.InvokeCtBacktestCommand'
        { Invoke-CtBacktest paper BTC-USD OneHour -Start 2024-01-01 -End 2024-01-02 -InitialBalance @{ ETH = 1 } -Strategy { } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidBacktest,CryptoTrader.PowerShell.Commands.InvokeCtBacktestCommand'
    }

    It 'used no credential and no key ring, and wrote no audit record' {
        Test-Path (Join-Path $DataHome 'keyring.key') | Should -BeFalse
        Invoke-CtRawSql 'SELECT count(*) FROM audit_log;' | Should -Be '0'
        Invoke-CtRawSql 'SELECT count(*) FROM credentials;' | Should -Be '0'
    }

    It 'prices the paper exchange from the last stored close (with a key ring: fills it causes are audited)' {
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-CtPaperPrice -Symbol BTC-USD -FromCandle -Verbose 4>&1 | Out-String | Should -Match 'last stored close of BTC-USD is 101'
        (Invoke-CtRawSql "SELECT price FROM paper_prices WHERE symbol = 'BTC-USD';") | Should -Be '101'
        { Set-CtPaperPrice -Symbol ETH-USD -FromCandle -ErrorAction Stop } | Should -Throw -ErrorId 'NoCandles,CryptoTrader.PowerShell.Commands.SetCtPaperPriceCommand'
    }
}
