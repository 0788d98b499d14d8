BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    $script:Passphrase = ConvertTo-TestSecureString 'a long enough test passphrase'
    $global:PSDefaultParameterValues['*-Ct*:WarningAction'] = 'SilentlyContinue'

    function Get-DatabasePath { Join-Path $env:CRYPTOTRADER_HOME 'cryptotrader.db' }

    # Runs Python's sqlite3 on the database, as someone with the file (but not the key) could.
    function Invoke-RawSql([string] $Sql) {
        $Sql | & /usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.stdin.read()); c.commit()" (Get-DatabasePath)
        if ($LASTEXITCODE -ne 0) { throw "sqlite3 failed: $Sql" }
    }

    function Get-Finding([string] $Check) { @(Test-CtSecurity -Check $Check) }

    # Only the findings that are more than Info: what a check complains about.
    function Get-Problem([string] $Check) { @(Get-Finding $Check | Where-Object Severity -NE 'Info') }

    function Set-TestKey([string] $Name = 'default') {
        Set-CtApiKey -Exchange paper -Name $Name -ApiKey "AK-$Name" -ApiSecret (ConvertTo-TestSecureString "secret-of-$Name") | Out-Null
    }
}

AfterAll {
    Restore-CtTestSession $script:Saved
}

Describe 'Test-CtSecurity output' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-TestKey
    }

    It 'writes CryptoTrader.SecurityFinding objects with an ordered severity, at least one per check' {
        $findings = @(Test-CtSecurity)
        $findings[0].PSObject.TypeNames[0] | Should -Be 'CryptoTrader.SecurityFinding'
        foreach ($property in 'Severity', 'Check', 'Target', 'Message', 'Remedy') { $findings[0].PSObject.Properties.Name | Should -Contain $property }
        # The module's types live in its own load context, so they are compared by name, not with a type literal.
        $severity = $findings[0].Severity.GetType()
        $severity.FullName | Should -Be 'CryptoTrader.SecuritySeverity'
        [Enum]::GetNames($severity) | Should -Be @('Info', 'Low', 'Medium', 'High', 'Critical')
        [int][Enum]::Parse($severity, 'Critical') | Should -BeGreaterThan ([int][Enum]::Parse($severity, 'High'))
        $checks = @($findings.Check | Select-Object -Unique)
        $checks | Should -Be @('KeyStore', 'FilePermissions', 'AuditIntegrity', 'ApiKeyAge', 'TradingGrants', 'ExchangeKeyScope', 'VaultTimeout', 'MasterKeyVariable')
        (Get-Command Test-CtSecurity).OutputType.Name | Should -Contain 'CryptoTrader.SecurityFinding'
    }

    It 'shows a table of Severity, Check and Message by default, and the Target in the list view' {
        $text = Test-CtSecurity -Check KeyStore | Out-String -Width 200
        $text | Should -Match 'Severity\s+Check\s+Message'
        $text | Should -Match 'Medium\s+KeyStore\s+The master key ring comes from the environment variable CRYPTOTRADER_MASTER_KEY'
        $list = Test-CtSecurity -Check KeyStore | Format-List | Out-String -Width 200
        $list | Should -Match 'Target\s+: CRYPTOTRADER_MASTER_KEY'
    }

    It 'changes nothing: no audit record, no setting, and no key ring for a new data folder' {
        $before = @(Get-CtAuditLog).Count
        $config = Get-CtConfig | ConvertTo-Json
        Test-CtSecurity | Out-Null
        @(Get-CtAuditLog).Count | Should -Be $before
        Get-CtConfig | ConvertTo-Json | Should -Be $config

        New-CtTestHome | Out-Null
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY
        $findings = @(Test-CtSecurity)
        Join-Path $env:CRYPTOTRADER_HOME 'keyring.key' | Should -Not -Exist
        ($findings | Where-Object Check -EQ AuditIntegrity).Message | Should -Match 'empty'
    }

    It 'never writes the master key or an API secret to any stream' {
        $key = $env:CRYPTOTRADER_MASTER_KEY
        $all = Test-CtSecurity -WarningAction Continue -Verbose *>&1 | Out-String -Width 400
        $all += Test-CtSecurity | Format-List * | Out-String -Width 400
        $all | Should -Match 'MasterKeyVariable'
        $all | Should -Not -Match ([regex]::Escape($key))
        $all | Should -Not -Match 'secret-of-default'
    }

    It 'runs only the checks named with -Check, which tab-completes, and rejects an unknown one' {
        @(Test-CtSecurity -Check apikeyage, KeyStore).Check | Select-Object -Unique | Should -Be @('KeyStore', 'ApiKeyAge')
        $completion = TabExpansion2 -inputScript 'Test-CtSecurity -Check Trad' -cursorColumn 'Test-CtSecurity -Check Trad'.Length
        $completion.CompletionMatches.CompletionText | Should -Be @('TradingGrants')
        $thrown = { Test-CtSecurity -Check Nonsense } | Should -Throw -ErrorId 'UnknownSecurityCheck,CryptoTrader.PowerShell.Commands.TestCtSecurityCommand' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $thrown.TargetObject | Should -Be 'Nonsense'
        $thrown.Exception.Message | Should -Match 'ExchangeKeyScope'
    }
}

Describe 'Test-CtSecurity -FailOn' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
    }

    It 'writes every finding, then fails with SecurityCheckFailed counting those at or above the severity' {
        $findings = [System.Collections.Generic.List[object]]::new()
        $thrown = { Test-CtSecurity -FailOn High | ForEach-Object { $findings.Add($_) } } |
            Should -Throw -ErrorId 'SecurityCheckFailed,CryptoTrader.PowerShell.Commands.TestCtSecurityCommand' -PassThru
        $findings.Count | Should -BeGreaterOrEqual 8
        $thrown.CategoryInfo.Category | Should -Be 'SecurityError'
        $thrown.Exception.Message | Should -Match 'found 1 security finding at or above High \(1 High\): High MasterKeyVariable CRYPTOTRADER_MASTER_KEY'
        $thrown.Exception.Message | Should -Match 'Remedy'
        @($thrown.TargetObject).Check | Should -Be @('MasterKeyVariable')
    }

    It 'does not fail when every finding is below the severity' {
        { Test-CtSecurity -FailOn Critical | Out-Null } | Should -Not -Throw
    }

    It 'makes pwsh -c exit with 1 on a finding at the severity, and 0 without one' {
        $process = [Environment]::ProcessPath
        $arguments = @()
        if ([IO.Path]::GetFileNameWithoutExtension($process) -ne 'pwsh') { $arguments += (Join-Path $PSHOME 'pwsh.dll') }
        $command = "Import-Module '$(Get-CtModulePath)'; Test-CtSecurity -FailOn {0} -WarningAction SilentlyContinue | Out-Null"
        $output = & $process @arguments -NoProfile -NonInteractive -c ($command -f 'High') 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 1 -Because $output
        $output | Should -Match 'at or above High'
        $output = & $process @arguments -NoProfile -NonInteractive -c ($command -f 'Critical') 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $output
    }

    It 'ends a script file run with $ErrorActionPreference Stop with exit code 1' {
        $script = "`$ErrorActionPreference = 'Stop'; Import-Module '$(Get-CtModulePath)'; Test-CtSecurity -FailOn High -WarningAction SilentlyContinue | Out-Null; 'not reached'"
        $failed = Invoke-CtChildPwsh -Script $script -Environment @{ CRYPTOTRADER_HOME = $DataHome; CRYPTOTRADER_MASTER_KEY = $env:CRYPTOTRADER_MASTER_KEY }
        $failed.ExitCode | Should -Be 1 -Because $failed.Output
        $failed.Output | Should -Not -Match 'not reached'
    }
}

Describe 'The KeyStore and MasterKeyVariable checks' {
    BeforeEach { $script:DataHome = New-CtTestHome }
    AfterEach { Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore }

    It 'calls the environment store development only, and a master key variable in a non-interactive session High' {
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        $store = Get-Problem KeyStore
        $store.Count | Should -Be 1
        $store[0].Severity | Should -Be 'Medium'
        $store[0].Message | Should -Match 'development only'
        $variable = Get-Problem MasterKeyVariable
        $variable.Count | Should -Be 1
        $variable[0].Severity | Should -Be 'High'
        $variable[0].Message | Should -Match 'non-interactive'
    }

    It 'reports the key file store and an unset variable as Info only' {
        $store = Get-Finding KeyStore
        $store.Severity | Should -Be @('Info')
        $store[0].Message | Should -Match 'File store'
        (Get-Finding MasterKeyVariable).Severity | Should -Be @('Info')
    }
}

Describe 'The FilePermissions check' -Skip:(-not ($IsLinux -or $IsMacOS)) {
    BeforeEach {
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
    }
    AfterEach { Lock-CtKeyStore }

    It 'finds nothing when the folder is 0700 and the files 0600' {
        (Get-Finding FilePermissions).Severity | Should -Be @('Info')
    }

    It 'reports a folder and database others can use as they were before the module tightened them' {
        chmod 755 $DataHome
        chmod 644 (Get-DatabasePath)
        $problems = Get-Problem FilePermissions
        $problems.Count | Should -Be 2
        $problems.Severity | Should -Be @('High', 'High')
        $problems[0].Target | Should -Be $DataHome
        $problems[0].Message | Should -Match 'mode 0755, expected 0700'
        $problems[1].Target | Should -Be (Get-DatabasePath)
        $problems[1].Remedy | Should -Match ([regex]::Escape("chmod 600 '$(Get-DatabasePath)'"))
        [Convert]::ToString([int](Get-Item $DataHome).UnixFileMode, 8) | Should -Be '700'
    }

    It 'calls a key file others can read Critical' {
        chmod 640 (Join-Path $DataHome 'keyring.key')
        $problems = Get-Problem FilePermissions
        $problems.Count | Should -Be 1
        $problems[0].Severity | Should -Be 'Critical'
        $problems[0].Message | Should -Match 'key file'
    }
}

Describe 'The AuditIntegrity check' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-CtConfig -AuditUserId 'one' | Out-Null
        Set-CtConfig -AuditUserId 'two' | Out-Null
    }
    AfterEach { Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore }

    It 'verifies an intact chain' {
        $finding = Get-Finding AuditIntegrity
        $finding.Severity | Should -Be @('Info')
        $finding[0].Message | Should -Match 'verifies: 2 records'
    }

    It 'calls a changed record Critical and names it' {
        Invoke-RawSql "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user_id = 'mallory' WHERE sequence = 1;"
        $finding = Get-Problem AuditIntegrity
        $finding.Count | Should -Be 1
        $finding[0].Severity | Should -Be 'Critical'
        $finding[0].Message | Should -Match 'record 1'
    }

    It 'says why it could not verify without the key ring, and the report goes on' {
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY
        $findings = @(Test-CtSecurity)
        $audit = @($findings | Where-Object Check -EQ AuditIntegrity)
        $audit.Count | Should -Be 1
        $audit[0].Severity | Should -Be 'Medium'
        $audit[0].Message | Should -Match 'could not be verified.*EnvironmentKeyMissing'
        $findings.Check | Should -Contain 'MasterKeyVariable'
    }
}

Describe 'The ApiKeyAge check' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-CtConfig -MaxApiKeyAgeDays 5 | Out-Null
        Set-TestKey -Name old
        Set-TestKey -Name fresh
    }

    It 'reports only keys older than Set-CtConfig -MaxApiKeyAgeDays' {
        $old = [datetime]::UtcNow.AddDays(-9).ToString('yyyy-MM-ddTHH:mm:ssZ')
        Invoke-RawSql "UPDATE credentials SET updated = '$old', created = '$old' WHERE name = 'old';"
        $problems = Get-Problem ApiKeyAge
        $problems.Count | Should -Be 1
        $problems[0].Severity | Should -Be 'Medium'
        $problems[0].Target | Should -Be 'paper/old'
        $problems[0].Message | Should -Match '9 days old \(maximum 5'
    }

    It 'finds nothing when every key is younger' {
        (Get-Finding ApiKeyAge).Severity | Should -Be @('Info')
    }
}

Describe 'The TradingGrants check' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-TestKey
    }

    It 'calls a grant without expiry High and one with an expiry Low' {
        Grant-CtTrading -Exchange paper -Confirm:$false | Out-Null
        $open = Get-Problem TradingGrants
        $open.Count | Should -Be 1
        $open[0].Severity | Should -Be 'High'
        $open[0].Message | Should -Match 'no expiry'
        Grant-CtTrading -Exchange paper -Duration (New-TimeSpan -Hours 2) -Confirm:$false | Out-Null
        $limited = Get-Problem TradingGrants
        $limited.Severity | Should -Be @('Low')
        $limited[0].Message | Should -Match 'enabled until'
    }

    It 'still reports a stored grant, marked not verified, when the key ring is unavailable' {
        Grant-CtTrading -Exchange paper -Confirm:$false | Out-Null
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY
        $problem = Get-Problem TradingGrants
        $problem.Severity | Should -Be @('High')
        $problem[0].Message | Should -Match 'not verified'
    }

    It 'finds nothing for read-only credentials' {
        (Get-Finding TradingGrants).Severity | Should -Be @('Info')
    }
}

Describe 'The ExchangeKeyScope check' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-TestKey -Name reader
    }

    It 'calls a key that can transfer funds Critical, and one that can trade while read-only Medium' {
        # What Set-CtApiKey records for a Coinbase key (key_permissions), written directly: no exchange is reachable here.
        Invoke-RawSql "UPDATE credentials SET can_view = 1, can_trade = 1, can_transfer = 1 WHERE name = 'reader';"
        $problems = Get-Problem ExchangeKeyScope
        $problems.Severity | Should -Be @('Critical', 'Medium')
        $problems[0].Message | Should -Match 'TRANSFER FUNDS'
        $problems[1].Message | Should -Match 'read access only'
    }

    It 'finds nothing for a key whose scope is what it is granted' {
        Invoke-RawSql "UPDATE credentials SET can_view = 1, can_trade = 0, can_transfer = 0 WHERE name = 'reader';"
        (Get-Finding ExchangeKeyScope).Severity | Should -Be @('Info')
    }
}

Describe 'The VaultTimeout check' {
    BeforeAll {
        $env:PSModulePath = $env:CT_TEST_MODULES + [IO.Path]::PathSeparator + $script:Saved.ModulePath
        $script:StorePassword = ConvertTo-TestSecureString 'store password'
        function Register-TestSecretStore([int] $Timeout, [string] $Authentication = 'Password') {
            Microsoft.PowerShell.SecretStore\Set-SecretStoreConfiguration -Authentication $Authentication -PasswordTimeout $Timeout -Interaction None -Password $StorePassword -Confirm:$false
            Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name CtStore -ModuleName (Join-Path $env:CT_TEST_MODULES 'Microsoft.PowerShell.SecretStore') -DefaultVault
        }
    }
    AfterAll {
        [AppDomain]::CurrentDomain.SetData('Microsoft.PowerShell.SecretStore.StandIn.UnlockedAt', $null)
        $env:PSModulePath = $script:Saved.ModulePath
        $env:HOME = $script:Saved.Home
    }
    BeforeEach {
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
        $script:DataHome = New-CtTestHome
        $env:HOME = Join-Path $DataHome 'profile'
        New-Item -ItemType Directory -Path $env:HOME | Out-Null
        [AppDomain]::CurrentDomain.SetData('Microsoft.PowerShell.SecretStore.StandIn.UnlockedAt', $null)
    }
    AfterEach {
        Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name CtStore, CtVault -ErrorAction Ignore
    }

    It 'calls a SecretStore without a password timeout High' {
        Register-TestSecretStore -Timeout -1
        $problem = Get-Problem VaultTimeout
        $problem.Count | Should -Be 1
        $problem[0].Severity | Should -Be 'High'
        $problem[0].Target | Should -Be 'vault CtStore'
        $problem[0].Message | Should -Match 'no password timeout \(PasswordTimeout -1\)'
    }

    It 'calls a SecretStore that needs no password High' {
        Register-TestSecretStore -Timeout 900 -Authentication None
        (Get-Problem VaultTimeout)[0].Message | Should -Match 'Authentication None'
    }

    It 'finds nothing for a SecretStore that locks again after 15 minutes, and keeps the key ring in it' {
        Register-TestSecretStore -Timeout 900
        Set-CtConfig -AuditUserId 'vault-user' | Out-Null
        $finding = Get-Finding VaultTimeout
        $finding.Severity | Should -Be @('Info')
        $finding[0].Message | Should -Match 'locks again 900 seconds'
        (Get-Finding AuditIntegrity)[0].Message | Should -Match 'verifies: 2 records'
    }

    It 'says a locked SecretStore cannot be read, without prompting' {
        Register-TestSecretStore -Timeout 900
        [AppDomain]::CurrentDomain.SetData('Microsoft.PowerShell.SecretStore.StandIn.UnlockedAt', $null)
        $finding = Get-Finding VaultTimeout
        $finding.Severity | Should -Be @('Info')
        $finding[0].Message | Should -Match 'could not be read without unlocking it: A valid password is required'
    }

    It 'says it cannot tell for a vault of another module' {
        Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name CtVault -ModuleName (Join-Path $env:CT_TEST_MODULES 'CtTestVault') -VaultParameters @{ Path = (Join-Path $env:HOME 'vault.json') } -DefaultVault
        $finding = Get-Finding VaultTimeout
        $finding.Severity | Should -Be @('Info')
        $finding[0].Message | Should -Match 'CtTestVault, which does not report'
    }

    It 'has nothing to check when the key ring is not in a vault' {
        $finding = Get-Finding VaultTimeout
        $finding.Severity | Should -Be @('Info')
        $finding[0].Message | Should -Match 'not kept in a SecretManagement vault'
    }
}
