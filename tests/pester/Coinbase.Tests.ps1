# The paper exchange's end-to-end story against Coinbase: a local HTTPS stand-in (tests/CoinbaseStub, Kestrel on
# 127.0.0.1) started here as a child process and stopped afterwards. The module runs in a child pwsh whose
# SSL_CERT_FILE names the stub's per-run CA: OpenSSL reads it at process start, and product code is unchanged.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    # Starts the stub (bounded lifetime) and waits for it to listen; returns its folder, URL, key name and process.
    function Start-CoinbaseStub {
        param([bool] $CanTrade = $true, [bool] $CanTransfer = $false)
        $root = Join-Path $PSScriptRoot '../CoinbaseStub'
        $dll = Get-ChildItem (Join-Path $root 'bin') -Recurse -Filter CoinbaseStub.dll -ErrorAction Ignore |
            Where-Object FullName -Match 'net10\.0' | Sort-Object LastWriteTime -Descending | Select-Object -First 1
        if (-not $dll) {
            & dotnet build (Join-Path $root 'CoinbaseStub.csproj') -c Release --nologo --verbosity quiet | Out-Host
            $dll = Get-ChildItem (Join-Path $root 'bin/Release') -Recurse -Filter CoinbaseStub.dll | Select-Object -First 1
        }
        $folder = Join-Path ([IO.Path]::GetTempPath()) ('ct-coinbase-stub-' + [guid]::NewGuid().ToString('N'))
        $info = [Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($argument in @($dll.FullName, $folder, '240', "$CanTrade".ToLowerInvariant(), "$CanTransfer".ToLowerInvariant())) {
            $info.ArgumentList.Add($argument)
        }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($info)
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Test-Path (Join-Path $folder 'url.txt'))) {
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                if (-not $process.HasExited) { $process.Kill() }
                throw 'The Coinbase stub did not start within 60 seconds.'
            }
            Start-Sleep -Milliseconds 200
        }
        return [pscustomobject]@{
            Process = $process
            Folder  = $folder
            Url     = (Get-Content (Join-Path $folder 'url.txt') -Raw).Trim()
            KeyName = (Get-Content (Join-Path $folder 'key-name.txt') -Raw).Trim()
            CaFile  = Join-Path $folder 'ca.pem'
            KeyFile = Join-Path $folder 'key.pem'
        }
    }

    function Stop-CoinbaseStub {
        param($Stub)
        if (-not $Stub) { return }
        try { $Stub.Process.StandardInput.Close() } catch { }
        if (-not $Stub.Process.WaitForExit(10000)) { $Stub.Process.Kill() }
        Remove-Item $Stub.Folder -Recurse -Force -ErrorAction Ignore
    }

    # Runs the script in a child pwsh that trusts the stub's CA, on a fresh data folder; returns the RESULT object and the output.
    function Invoke-CoinbaseChild {
        param($Stub, [string] $Script)
        $prelude = @'
$ErrorActionPreference = 'Stop'
Import-Module $env:CT_MODULE_PATH
$result = [ordered]@{}
Set-CtConfig -CoinbaseBaseUrl $env:CT_STUB_URL -Confirm:$false | Out-Null
$secret = ConvertTo-SecureString -String (Get-Content $env:CT_STUB_KEY_FILE -Raw) -AsPlainText -Force
'@
        $epilogue = "`n'RESULT:' + (`$result | ConvertTo-Json -Compress -Depth 5)"
        $child = Invoke-CtChildPwsh -Script ($prelude + "`n" + $Script + $epilogue) -Environment @{
            SSL_CERT_FILE           = $Stub.CaFile
            CRYPTOTRADER_HOME       = (Join-Path ([IO.Path]::GetTempPath()) ('ct-coinbase-home-' + [guid]::NewGuid().ToString('N')))
            CRYPTOTRADER_MASTER_KEY = (New-CtTestFernetKey)
            CT_STUB_URL             = $Stub.Url
            CT_STUB_KEY_NAME        = $Stub.KeyName
            CT_STUB_KEY_FILE        = $Stub.KeyFile
        }
        $line = ($child.Output -split "`n") | Where-Object { $_ -like 'RESULT:*' } | Select-Object -Last 1
        if (-not $line) { throw "The child session failed (exit $($child.ExitCode)):`n$($child.Output)" }
        return [pscustomobject]@{ Result = ($line.Substring(7) | ConvertFrom-Json); Output = $child.Output }
    }
}

Describe 'Coinbase end to end against the local HTTPS stand-in' {
    BeforeAll { $script:Stub = Start-CoinbaseStub }
    AfterAll { Stop-CoinbaseStub $script:Stub }

    It 'stores the key, refuses a trade while read-only, grants, trades, cancels, revokes, and the audit log verifies' {
        $run = Invoke-CoinbaseChild -Stub $Stub -Script @'
$stored = Set-CtApiKey -Exchange coinbase -ApiKey $env:CT_STUB_KEY_NAME -ApiSecret $secret -Confirm:$false 3>&1
$result.StoredEvent = ($stored | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] }).EventType
$result.StoredWarnings = @($stored | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and $_.Message -match 'TRANSFER' }).Count
$key = Get-CtApiKey -Exchange coinbase
$result.CanTrade = $key.CanTrade
$result.CanTransfer = $key.CanTransfer
$result.Permission = $key.Permission
$result.Table = ($key | Out-String)
$result.Currencies = @(Get-CtBalance -Exchange coinbase | ForEach-Object Currency)
$result.Price = (Get-CtTicker -Exchange coinbase -Symbol BTC-USD).Price
try { Invoke-CtTrade -Exchange coinbase -Symbol BTC-USD -Side Buy -Quantity 0.01 -Confirm:$false | Out-Null; $result.ReadOnlyTrade = 'placed' }
catch { $result.ReadOnlyTrade = $_.FullyQualifiedErrorId }
$preview = Invoke-CtTrade -Exchange coinbase -Symbol BTC-USD -Side Buy -Quantity 0.01 -WhatIf
$result.PreviewTotal = $preview.OrderTotal
Grant-CtTrading -Exchange coinbase -Duration (New-TimeSpan -Hours 1) -Confirm:$false | Out-Null
$trade = Invoke-CtTrade -Exchange coinbase -Symbol BTC-USD -Side Buy -Quantity 0.01 -Confirm:$false
$executed = $trade | Where-Object EventType -eq 'TRADE_EXECUTED'
$result.TradeEvents = @($trade | ForEach-Object EventType)
$result.MarketStatus = $executed.Details.status
$limit = Invoke-CtTrade -Exchange coinbase -Symbol ETH-USD -Side Sell -Quantity 1 -LimitPrice 3000 -Confirm:$false | Where-Object EventType -eq 'TRADE_EXECUTED'
$result.LimitStatus = $limit.Details.status
$result.OrderLookup = (Get-CtOrder -Exchange coinbase -OrderId $limit.Details.order_id).Status
$result.CancelStatus = (Stop-CtOrder -Exchange coinbase -OrderId $limit.Details.order_id -Confirm:$false | Where-Object EventType -eq 'TRADE_EXECUTED').Details.status
try { Invoke-CtTrade -Exchange coinbase -Symbol BTC-USD -Side Buy -Quantity 5 -Confirm:$false | Out-Null; $result.Rejected = 'placed' }
catch { $result.Rejected = $_.FullyQualifiedErrorId; $result.RejectedReason = $_.Exception.Message }
Revoke-CtTrading -Exchange coinbase -Confirm:$false | Out-Null
try { Invoke-CtTrade -Exchange coinbase -Symbol BTC-USD -Side Buy -Quantity 0.01 -Confirm:$false | Out-Null; $result.AfterRevoke = 'placed' }
catch { $result.AfterRevoke = $_.FullyQualifiedErrorId }
$result.AuditValid = (Test-CtAuditLog).IsValid
$log = Get-CtAuditLog | ConvertTo-Json -Depth 5
$keyText = (Get-Content $env:CT_STUB_KEY_FILE -Raw) -split "`n" | Where-Object { $_ -and $_ -notlike '-----*' }
$result.SecretInLog = @($keyText | Where-Object { $log.Contains($_) }).Count
$result.EventTypes = @(Get-CtAuditLog | ForEach-Object EventType | Select-Object -Unique)
'@
        $r = $run.Result
        $r.StoredEvent | Should -Be 'API_KEY_CHANGED'
        $r.StoredWarnings | Should -Be 0
        $r.CanTrade | Should -BeTrue
        $r.CanTransfer | Should -BeFalse
        $r.Permission | Should -Be 'ReadOnly'
        $r.Table | Should -Match 'Permission\s+AgeDays\s+CanTransfer\s+Fingerprint'
        $r.Currencies | Should -Be @('USD', 'BTC', 'ETH', 'SOL', 'USDC')
        $r.Price | Should -Be 50000
        $r.ReadOnlyTrade | Should -BeLike 'TradingNotEnabled*'
        $r.PreviewTotal | Should -Be 503
        $r.TradeEvents | Should -Be @('TRADE_REQUESTED', 'TRADE_EXECUTED')
        $r.MarketStatus | Should -Be 'Filled'
        $r.LimitStatus | Should -Be 'Open'
        $r.OrderLookup | Should -Be 'Open'
        $r.CancelStatus | Should -Be 'Cancelled'
        $r.Rejected | Should -BeLike 'InsufficientFunds*'
        $r.RejectedReason | Should -Match 'Insufficient balance'
        $r.AfterRevoke | Should -BeLike 'TradingNotEnabled*'
        $r.AuditValid | Should -BeTrue
        $r.SecretInLog | Should -Be 0
        $r.EventTypes | Should -Contain 'TRADE_FAILED'
        $r.EventTypes | Should -Contain 'TRADE_REJECTED'
        $run.Output | Should -Not -Match 'Bearer'
    }

    It 'refuses a malformed PEM and an http:// base URL, and stores nothing' {
        $run = Invoke-CoinbaseChild -Stub $Stub -Script @'
$bad = ConvertTo-SecureString -String "-----BEGIN EC PRIVATE KEY-----\nnot-a-key\n-----END EC PRIVATE KEY-----" -AsPlainText -Force
try { Set-CtApiKey -Exchange coinbase -ApiKey $env:CT_STUB_KEY_NAME -ApiSecret $bad -Confirm:$false | Out-Null; $result.BadPem = 'stored' }
catch { $result.BadPem = $_.FullyQualifiedErrorId; $result.BadPemMessage = $_.Exception.Message }
$result.Stored = @(Get-CtApiKey).Count
try { Set-CtConfig -CoinbaseBaseUrl ($env:CT_STUB_URL -replace '^https', 'http') -Confirm:$false | Out-Null; $result.Http = 'accepted' }
catch { $result.Http = $_.FullyQualifiedErrorId }
$result.Url = (Get-CtConfig).CoinbaseBaseUrl
'@
        $run.Result.BadPem | Should -BeLike 'InvalidApiSecret*'
        $run.Result.BadPemMessage | Should -Match 'Coinbase API secret'
        $run.Result.Stored | Should -Be 0
        $run.Result.Http | Should -BeLike 'InvalidSetting*'
        $run.Result.Url | Should -Be $Stub.Url
    }
}

Describe 'Coinbase key that cannot trade but can transfer' {
    BeforeAll { $script:Stub = Start-CoinbaseStub -CanTrade $false -CanTransfer $true }
    AfterAll { Stop-CoinbaseStub $script:Stub }

    It 'warns loudly when stored, stays ReadOnly, and Grant-CtTrading refuses it' {
        $run = Invoke-CoinbaseChild -Stub $Stub -Script @'
$stored = Set-CtApiKey -Exchange coinbase -ApiKey $env:CT_STUB_KEY_NAME -ApiSecret $secret -Confirm:$false 3>&1
# (The development-only warning of the environment key store comes too; only the transfer one is about the key.)
$result.Warnings = @($stored | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and $_.Message -notmatch 'CRYPTOTRADER_MASTER_KEY' } | ForEach-Object Message)
$key = Get-CtApiKey -Exchange coinbase
$result.CanTrade = $key.CanTrade
$result.CanTransfer = $key.CanTransfer
try { Grant-CtTrading -Exchange coinbase -Confirm:$false | Out-Null; $result.Grant = 'granted' }
catch { $result.Grant = $_.FullyQualifiedErrorId; $result.GrantCategory = "$($_.CategoryInfo.Category)" }
$result.Permission = (Get-CtApiKey -Exchange coinbase).Permission
$result.Balances = @(Get-CtBalance -Exchange coinbase).Count
'@
        $run.Result.Warnings | Should -HaveCount 1
        $run.Result.Warnings[0] | Should -Match 'CAN TRANSFER FUNDS'
        $run.Result.CanTrade | Should -BeFalse
        $run.Result.CanTransfer | Should -BeTrue
        $run.Result.Grant | Should -BeLike 'KeyCannotTrade*'
        $run.Result.GrantCategory | Should -Be 'PermissionDenied'
        $run.Result.Permission | Should -Be 'ReadOnly'
        $run.Result.Balances | Should -Be 5
    }
}
