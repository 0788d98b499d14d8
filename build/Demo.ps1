<#
.SYNOPSIS
    A short, real CryptoTrader session on a temporary data folder and the embedded paper exchange,
    saying what it does as it goes: store a key, a trade refused while read-only, grant, trade, revoke,
    a backtest on candles imported from a CSV file, then the audit log printed and verified.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

function Step([string] $Text) { Write-Host "`n== $Text" }
function Show { $input | Format-Table -Wrap | Out-String -Width 160 | Out-Host }

$demoHome = Join-Path ([IO.Path]::GetTempPath()) ("cryptotrader-demo-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
$env:CRYPTOTRADER_HOME = $demoHome
Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
try {
    Step "Import the module from $ModulePath; data folder $demoHome (CRYPTOTRADER_HOME)"
    Import-Module $ModulePath
    Get-CtConfig | Format-List KeyStoreInUse, KeyStoreReason, KeyStoreLocation | Out-Host

    Step 'First unlock of the encrypted key file sets its passphrase and generates the master key ring'
    $passphrase = ConvertTo-SecureString -String 'demo passphrase, not for real keys' -AsPlainText -Force
    Unlock-CtKeyStore -Password $passphrase | Show
    Set-CtConfig -AuditUserId 'demo-runbook' | Show

    Step 'Store an API key for the paper exchange: encrypted with Fernet, shown only as a fingerprint, read-only'
    $secret = ConvertTo-SecureString -String 'paper-secret-for-the-demo' -AsPlainText -Force
    Set-CtApiKey -Exchange paper -ApiKey 'demo-key' -ApiSecret $secret | Show
    Get-CtApiKey | Show

    Step 'Fund the paper account and set a price (local, nothing leaves this machine)'
    Reset-CtPaperAccount -Balance @{ USD = 10000 } | Show
    Set-CtPaperPrice -Symbol BTC-USD -Price 65000
    Get-CtBalance -Exchange paper | Show

    Step 'Buy 0.01 BTC while the key is read-only: the permission gate refuses it'
    try {
        Invoke-CtTrade -Exchange paper -Symbol BTC-USD -Side Buy -Quantity 0.01 -Confirm:$false | Show
    }
    catch {
        "Refused as expected: [$($_.FullyQualifiedErrorId)] $($_.CategoryInfo.Category): $($_.Exception.Message)" | Out-Host
    }

    Step 'Grant trading for one hour, at most 1000 USD an order'
    Grant-CtTrading -Exchange paper -Duration (New-TimeSpan -Hours 1) -MaxOrderValue 1000 -Confirm:$false | Show
    Get-CtPermission | Show

    Step 'The same order now goes through: request recorded, order filled, execution recorded'
    $trade = Invoke-CtTrade -Exchange paper -Symbol BTC-USD -Side Buy -Quantity 0.01 -Confirm:$false
    $trade | Show
    $executed = $trade | Where-Object EventType -eq 'TRADE_EXECUTED'
    "Order $($executed.Details.order_id): $($executed.Details.status), $($executed.Details.filled_quantity) BTC at $($executed.Details.average_price)" | Out-Host
    Get-CtBalance -Exchange paper | Show

    Step 'Revoke: read-only again, and the next order is refused'
    Revoke-CtTrading -Exchange paper -Confirm:$false | Show
    try {
        Invoke-CtTrade -Exchange paper -Symbol BTC-USD -Side Sell -Quantity 0.01 -Confirm:$false | Show
    }
    catch {
        "Refused as expected: [$($_.FullyQualifiedErrorId)]" | Out-Host
    }

    Step 'Backtest a moving-average crossover on ten days of hourly candles imported from CSV (local: no grant, no audit record)'
    $csv = Join-Path $demoHome 'btc-hourly.csv'
    $invariant = [Globalization.CultureInfo]::InvariantCulture
    $opens = foreach ($hour in 0..240) { [Math]::Round(65000 + 1500 * [Math]::Sin($hour / 20) + 300 * [Math]::Sin($hour / 3), 2) }
    $rows = foreach ($hour in 0..239) {
        $open, $close = $opens[$hour], $opens[$hour + 1]
        '{0},{1},{2},{3},{4},1.5' -f (1704067200 + 3600 * $hour), $open.ToString($invariant), ([Math]::Max($open, $close) + 25).ToString($invariant),
            ([Math]::Min($open, $close) - 25).ToString($invariant), $close.ToString($invariant)
    }
    Set-Content -Path $csv -Value (@('time,open,high,low,close,volume') + $rows)
    Import-CtCandle -Path $csv -Exchange paper -Symbol BTC-USD -Granularity OneHour | Show
    Get-CtCandle -Exchange paper -Symbol BTC-USD -Granularity OneHour -Last 3 | Show
    $crossover = {
        $slow = $Backtest.Close(24)
        if ($slow.Count -lt 24) { return }
        $fast = [Linq.Enumerable]::Average([decimal[]] $Backtest.Close(6))
        if ($fast -gt [Linq.Enumerable]::Average($slow)) {
            if ($Backtest.Position -eq 0) { $Backtest.Buy(0.05) }
        }
        elseif ($Backtest.Position -gt 0) { $Backtest.Sell($Backtest.Position) }
    }
    $backtest = Invoke-CtBacktest -Exchange paper -Symbol BTC-USD -Granularity OneHour -Start 2024-01-01 -End 2024-01-11 -Strategy $crossover
    $backtest | Show
    $backtest.Trades | Select-Object -First 4 | Show
    "Final balances: $(($backtest.FinalBalance.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', '); fee rate $($backtest.FeeRate)" | Out-Host

    Step 'The audit log, and its verification (hash chain under a key derived from the key ring)'
    Get-CtAuditLog | Show
    Test-CtAuditLog | Out-Host

    Step 'Files are private to this user'
    Get-ChildItem -Force $demoHome | ForEach-Object {
        '{0}  {1}' -f ([Convert]::ToString([int]$_.UnixFileMode, 8)), $_.Name
    } | Out-Host
}
finally {
    Remove-Item $demoHome -Recurse -Force -ErrorAction Ignore
}
Step 'Demo finished; its data folder was removed.'
