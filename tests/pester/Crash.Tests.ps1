# Crash safety of the writes other than rotation (RotationCrash.Tests.ps1 covers Update-CtEncryptionKey): a child
# pwsh runs Set-CtApiKey, Invoke-CtTrade (paper exchange) or Set-CtConfig (audit appends) in a loop and is killed
# with SIGKILL at random moments, many times. After every kill: every stored API key decrypts, the audit chain
# verifies, everything the child reported as done is there, data and audit records agree, no trade is recorded
# as executed without its request record, and every paper order has its TRADE_REQUESTED record.
# CT_CRASH_KILLS (kills per operation, default 6) and CT_CRASH_SECONDS (time budget per operation, default 25)
# make a longer run by hand; see docs/reliability.md.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
    $script:PassphraseText = 'a long enough test passphrase'
    $script:Kills = if ($env:CT_CRASH_KILLS) { [int] $env:CT_CRASH_KILLS } else { 6 }
    $script:BudgetSeconds = if ($env:CT_CRASH_SECONDS) { [int] $env:CT_CRASH_SECONDS } else { 25 }
    $script:Price = 50000

    # The child: import, unlock, say READY, wait for the go file, then run $Body in a loop; $Body reports each completed call as one
    # line "OP <milliseconds> <what>" (written only after the cmdlet returned, so a reported call is committed).
    function New-LoopScript([string] $Body) {
        return @"
Import-Module '$(Get-CtModulePath)' -ErrorAction Stop
`$ErrorActionPreference = 'Stop'
Unlock-CtKeyStore -Password (ConvertTo-SecureString '$PassphraseText' -AsPlainText -Force) | Out-Null
`$tag = [guid]::NewGuid().ToString('N').Substring(0, 8)
[IO.File]::AppendAllText('PROGRESS_FILE', "READY``n")
while (-not (Test-Path 'PROGRESS_FILE.go')) { Start-Sleep -Milliseconds 5 }
for (`$i = 1; ; `$i++) {
    `$watch = [Diagnostics.Stopwatch]::StartNew()
$Body
    [IO.File]::AppendAllText('PROGRESS_FILE', "OP `$(`$watch.ElapsedMilliseconds) `$done``n")
}
"@
    }

    function Start-Loop([string] $Script) { Start-CtChildPwsh -Script $Script -DataHome $env:CRYPTOTRADER_HOME }

    # Lets a started child run once it is READY.
    function Start-Going($Child) {
        Wait-CtChildProgress $Child 1 | Out-Null
        New-Item -ItemType File -Path "$($Child.Progress).go" | Out-Null
    }

    # Kills children running $Script at random moments until $Kills kills (or the time budget) are done, and runs
    # $Check after each kill with every "what" the children reported so far. Returns a line describing the run.
    # The next child starts up (import, unlock) while the previous kill is checked, and waits for its go file.
    function Invoke-KillLoop([string] $Script, [scriptblock] $Check) {
        $acknowledged = [Collections.Generic.List[string]]::new()
        $random = [Random]::new()
        $delays = [Collections.Generic.List[int]]::new()
        $budget = [Diagnostics.Stopwatch]::StartNew()
        $next = Start-Loop $Script
        try {
            # Calibrate: how long one call takes in the child on this machine now.
            $child = $next
            $next = $null
            try {
                Start-Going $child
                $lines = Wait-CtChildProgress $child 5
            }
            finally { $lines = Stop-CtChild $child }
            $next = Start-Loop $Script
            # The first call of a child pays for JIT compilation; the median of the others is one call's usual time.
            $durations = @($lines | Where-Object { $_ -like 'OP *' } | ForEach-Object { [int]($_ -split ' ')[1] })
            $firstMs = $durations[0]
            $rest = @($durations | Select-Object -Skip 1 | Sort-Object)
            $operationMs = [Math]::Max(10, $rest[[int]($rest.Count / 2)])
            $lines | Where-Object { $_ -like 'OP *' } | ForEach-Object { $acknowledged.Add(($_ -split ' ', 3)[2]) }
            & $Check $acknowledged 'calibration run'

            while ($delays.Count -lt 3 -or ($delays.Count -lt $Kills -and $budget.Elapsed.TotalSeconds -lt $BudgetSeconds)) {
                $child = $next
                $next = $null
                try {
                    Start-Going $child
                    # Anywhere within the first few calls: before, inside or after a transaction or its commit.
                    $delay = $random.Next(0, $firstMs + $operationMs * 4)
                    Start-Sleep -Milliseconds $delay
                }
                finally { $lines = Stop-CtChild $child }
                $delays.Add($delay)
                $next = Start-Loop $Script
                $lines | Where-Object { $_ -like 'OP *' } | ForEach-Object { $acknowledged.Add(($_ -split ' ', 3)[2]) }
                & $Check $acknowledged "kill $($delays.Count) after $delay ms"
            }
        }
        finally {
            if ($next) { Stop-CtChild $next | Out-Null }
        }
        return "$($delays.Count) kills in $([int]$budget.Elapsed.TotalSeconds) s (first call $firstMs ms, then about $operationMs ms; delays $($delays -join ', ') ms), $($acknowledged.Count) calls reported done"
    }

    function Assert-KeysAndChain([string] $When) {
        $checks = @(Test-CtApiKey -WarningVariable warned -WarningAction SilentlyContinue)
        @($checks | Where-Object { -not $_.IsValid }).Count | Should -Be 0 -Because "every API key decrypts after $When ($($warned | Select-Object -First 1))"
        $verification = Test-CtAuditLog -WarningAction SilentlyContinue
        $verification.IsValid | Should -BeTrue -Because "the audit chain verifies after ${When}: $($verification.Reason)"
        @(Get-CtAuditLog -EventType ERROR).Count | Should -Be 0 -Because "no kill may make stored data look tampered ($When)"
        return $checks
    }
}

AfterAll { Restore-CtTestSession $script:Saved }

Describe 'Set-CtApiKey killed at random moments' {
    BeforeAll {
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString $PassphraseText) | Out-Null
        Set-CtApiKey -Exchange paper -Name shared -ApiKey 'AK-shared' -ApiSecret (ConvertTo-TestSecureString 'first') | Out-Null
        # Each call adds a credential; every third one updates the shared credential instead.
        $script:Loop = New-LoopScript @'
    if ($i % 3 -eq 0) { $name = 'shared' } else { $name = "k-$tag-$i" }
    Set-CtApiKey -Exchange paper -Name $name -ApiKey "AK-$tag-$i" -ApiSecret (ConvertTo-SecureString "secret-$tag-$i" -AsPlainText -Force) | Out-Null
    $done = $name
'@
    }

    It 'keeps every stored key decryptable, every reported key stored, and one API_KEY_CHANGED record per stored change' {
        $summary = Invoke-KillLoop -Script $Loop -Check {
            param($acknowledged, $when)
            $checks = Assert-KeysAndChain $when
            $stored = @($checks | ForEach-Object Name)
            foreach ($name in $acknowledged) { $stored | Should -Contain $name -Because "Set-CtApiKey reported '$name' as stored before the $when" }
            # The credential rows and the audit records were written in one transaction: they agree exactly.
            $records = @(Get-CtAuditLog -EventType API_KEY_CHANGED)
            @($records | Where-Object { $_.Details.action -eq 'added' } | ForEach-Object { $_.Details.name } | Sort-Object) |
                Should -Be @($stored | Sort-Object) -Because "each stored credential has exactly one 'added' record ($when)"
            $shared = Get-CtApiKey -Exchange paper -Name shared
            $lastShared = $records | Where-Object { $_.Details.name -eq 'shared' } | Select-Object -Last 1
            $shared.Fingerprint | Should -Be $lastShared.Details.fingerprint -Because "the stored shared credential is the one its newest record describes ($when)"
        }
        Write-Host "    $summary"
        @(Get-CtApiKey).Count | Should -BeGreaterThan 3 -Because 'the kills must land among running calls, not only during start-up'
    }
}

Describe 'Invoke-CtTrade on the paper exchange killed at random moments' {
    BeforeAll {
        function Get-AccountValue {
            $total = [decimal] 0
            foreach ($row in Get-CtBalance -Exchange paper -Name trader) {
                $amount = [decimal] $row.Available + [decimal] $row.Hold
                $total += if ($row.Currency -eq 'BTC') { $amount * $Price } else { $amount }
            }
            return $total
        }
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString $PassphraseText) | Out-Null
        Set-CtApiKey -Exchange paper -Name trader -ApiKey 'AK-trader' -ApiSecret (ConvertTo-TestSecureString 'trader-secret') | Out-Null
        Reset-CtPaperAccount -Name trader -Balance @{ USD = 1000000; BTC = 10 } -Confirm:$false | Out-Null
        Set-CtPaperPrice -Symbol BTC-USD -Price $Price -Confirm:$false | Out-Null
        Grant-CtTrading -Exchange paper -Name trader -Duration (New-TimeSpan -Hours 2) -Confirm:$false | Out-Null
        $script:InitialValue = Get-AccountValue
        # Market buys and sells fill at once; every fourth call is a limit buy below the price, which rests and holds USD.
        $script:Loop = New-LoopScript @'
    $trade = @{ Exchange = 'paper'; Name = 'trader'; Symbol = 'BTC-USD'; Quantity = 0.001; Confirm = $false }
    switch ($i % 4) { 0 { $trade.Side = 'Buy'; $trade.LimitPrice = 40000 } 1 { $trade.Side = 'Buy' } default { $trade.Side = 'Sell' } }
    $records = @(Invoke-CtTrade @trade)
    $done = ($records | Where-Object EventType -EQ 'TRADE_EXECUTED').Details.client_order_id
'@

    }

    It 'never has an executed trade or an order without its request record, nor a request without its outcome' {
        $summary = Invoke-KillLoop -Script $Loop -Check {
            param($acknowledged, $when)
            Assert-KeysAndChain $when | Out-Null
            $trades = @(Get-CtAuditLog -EventType TRADE_REQUESTED, TRADE_EXECUTED, TRADE_FAILED, TRADE_REJECTED)
            @($trades | Where-Object EventType -In 'TRADE_FAILED', 'TRADE_REJECTED').Count | Should -Be 0 -Because "every order in this test is valid and funded ($when)"
            $byClient = $trades | Group-Object { $_.Details.client_order_id } -AsHashTable -AsString
            foreach ($client in @($byClient.Keys)) {
                $events = @($byClient[$client] | Sort-Object Sequence | ForEach-Object EventType)
                # The paper exchange commits the request, the fill and the execution record in one transaction.
                $events | Should -Be @('TRADE_REQUESTED', 'TRADE_EXECUTED') -Because "order $client has its request record first and exactly one outcome ($when)"
            }
            $orders = @(Invoke-CtRawSql "SELECT client_order_id, order_id, status FROM paper_orders;")
            $orders.Count | Should -Be $byClient.Count -Because "every paper order row has its records and every executed record its order row ($when)"
            foreach ($row in $orders) {
                $client, $orderId, $status = $row -split "`t"
                $byClient.ContainsKey($client) | Should -BeTrue -Because "paper order $orderId has a TRADE_REQUESTED record ($when)"
                ($byClient[$client] | Where-Object EventType -EQ 'TRADE_EXECUTED').Details.order_id | Should -Be $orderId
            }
            foreach ($client in $acknowledged) { $byClient.ContainsKey($client) | Should -BeTrue -Because "Invoke-CtTrade reported $client as executed before the $when" }
            # Each fill moved USD and BTC together: the account's value at the fixed price never changes.
            Get-AccountValue | Should -Be $InitialValue -Because "no fill may be half applied ($when)"
        }
        Write-Host "    $summary"
        @(Get-CtAuditLog -EventType TRADE_EXECUTED).Count | Should -BeGreaterThan 3 -Because 'the kills must land among running trades, not only during start-up'
    }
}

Describe 'Audit appends (Set-CtConfig) killed at random moments' {
    BeforeAll {
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString $PassphraseText) | Out-Null
        $script:Loop = New-LoopScript @'
    $done = "u-$tag-$i"
    Set-CtConfig -AuditUserId $done | Out-Null
'@
    }

    It 'keeps one valid chain, every reported change recorded, and the setting equal to its newest record' {
        $summary = Invoke-KillLoop -Script $Loop -Check {
            param($acknowledged, $when)
            Assert-KeysAndChain $when | Out-Null
            $records = @(Get-CtAuditLog -EventType CONFIG_CHANGED)
            $values = @($records | ForEach-Object { $_.Details.new_value })
            foreach ($value in $acknowledged) { $values | Should -Contain $value -Because "Set-CtConfig reported '$value' as saved before the $when" }
            ($values | Select-Object -Unique).Count | Should -Be $values.Count -Because "no change is recorded twice ($when)"
            (Get-CtConfig).AuditUserId | Should -Be $values[-1] -Because "the setting and its record commit together ($when)"
            # audit.head, kept outside the database, is never ahead of it: Test-CtAuditLog checks it; here also its sequence.
            $head = [long]((Get-Content (Join-Path $DataHome 'audit.head') -Raw).Split(' ')[1])
            $head | Should -BeLessOrEqual $records[-1].Sequence
        }
        Write-Host "    $summary"
        @(Get-CtAuditLog -EventType CONFIG_CHANGED).Count | Should -BeGreaterThan 3 -Because 'the kills must land among running appends, not only during start-up'
    }
}

# A power loss cannot be staged here, but what survives one can: what reached the disk (fsync) before each commit.
# strace follows a child pwsh; while it holds audit.head, a head it wrote (naming the pending records) must be synced
# before the database's write-ahead log is synced for the commit, so after a power loss the head names the log's end
# whether or not the commit reached the disk.
Describe 'A power loss between the head and the commit' -Skip:(-not $IsLinux) {
    BeforeAll {
        # Walks the trace (lines 'PID  call(...) = result', the PID padded to a width): for each commit (a sync of cryptotrader.db-wal) while audit.head is open and has been written,
        # whether the head was synced after its last write.
        function Get-SyncOrder([string] $TracePath) {
            $paths = @{}
            $pendingOpen = @{}
            $head = $null
            $result = [pscustomobject]@{ CommitsAfterAHeadWrite = 0; HeadSyncedFirst = 0 }
            foreach ($line in Get-Content $TracePath) {
                if ($line -match '^\s*(\d+)\s+openat\([^"]*"([^"]+)".*<unfinished') { $pendingOpen[$Matches[1]] = $Matches[2]; continue }
                if ($line -match '^\s*(\d+)\s+<\.\.\. openat resumed>.*= (\d+)$') { $path = $pendingOpen[$Matches[1]]; $fd = $Matches[2] }
                elseif ($line -match '^\s*\d+\s+openat\([^"]*"([^"]+)".*\) = (\d+)$') { $path = $Matches[1]; $fd = $Matches[2] }
                else {
                    if ($null -eq $head -or $line -notmatch '^\s*\d+\s+(p?write(?:64)?|f(?:data)?sync|close)\((\d+)') { continue }
                    $call = $Matches[1]; $fd = $Matches[2]
                    if ($fd -eq $head.Fd) {
                        switch -Wildcard ($call) {
                            '*write*' { $head.Written = $true; $head.Synced = $false }
                            '*sync' { $head.Synced = $true }
                            'close' { $head = $null }
                        }
                    }
                    elseif ($call -like '*sync' -and $paths[$fd] -like '*cryptotrader.db-wal' -and $head.Written) {
                        $result.CommitsAfterAHeadWrite++
                        if ($head.Synced) { $result.HeadSyncedFirst++ }
                        $head.Written = $false
                    }
                    continue
                }
                $paths[$fd] = $path
                if ($path -like '*audit.head') { $head = [pscustomobject]@{ Fd = $fd; Written = $false; Synced = $false } }
            }
            return $result
        }
    }

    It 'syncs the head naming the pending record before every audited commit' {
        if (-not (Get-Command strace -ErrorAction Ignore)) { Set-ItResult -Skipped -Because 'strace is not installed (.ci/run installs it)'; return }
        New-CtTestHome | Out-Null
        $trace = Join-Path $TestDrive 'strace.txt'
        $child = Invoke-CtChildPwsh -Under 'strace', '-f', '-qq', '-e', 'trace=openat,close,write,pwrite64,fsync,fdatasync', '-o', $trace `
            -Environment @{ CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey } -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-CtModulePath)'
Set-CtApiKey paper 'power-key' (ConvertTo-SecureString 'power-secret' -AsPlainText -Force) -WarningAction SilentlyContinue | Out-Null
Reset-CtPaperAccount -Balance @{ USD = 100000 } -Confirm:`$false -WarningAction SilentlyContinue | Out-Null
Set-CtPaperPrice BTC-USD 50000 -Confirm:`$false | Out-Null
Grant-CtTrading paper -Confirm:`$false -WarningAction SilentlyContinue | Out-Null
1..3 | ForEach-Object { Invoke-CtTrade paper BTC-USD Buy 0.001 -Confirm:`$false -WarningAction SilentlyContinue | Out-Null }
"@
        if ($child.ExitCode -ne 0 -and $child.Output -match 'ptrace|Operation not permitted') {
            Set-ItResult -Skipped -Because "strace cannot trace here: $($child.Output)"; return
        }
        $child.ExitCode | Should -Be 0 -Because $child.Output

        $order = Get-SyncOrder $trace

        # Set-CtApiKey, Reset-CtPaperAccount, Grant-CtTrading and three trades append records (a price with no order to fill does not).
        $order.CommitsAfterAHeadWrite | Should -BeGreaterOrEqual 6
        $order.HeadSyncedFirst | Should -Be $order.CommitsAfterAHeadWrite -Because 'the head naming the pending records must be on disk before their commit'
    }
}
