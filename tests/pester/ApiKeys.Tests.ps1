BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    $script:Passphrase = ConvertTo-TestSecureString 'a long enough test passphrase'
    # The environment store warns on every use; the tests that look at warnings ask for them with -WarningVariable.
    $global:PSDefaultParameterValues['*-Ct*:WarningAction'] = 'SilentlyContinue'

    function Get-DatabasePath { Join-Path $env:CRYPTOTRADER_HOME 'cryptotrader.db' }

    # Runs Python's sqlite3 on the database, as an attacker with the file (but not the key) could.
    function Invoke-RawSql([string] $Sql) {
        $Sql | & /usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.stdin.read()); c.commit()" (Get-DatabasePath)
        if ($LASTEXITCODE -ne 0) { throw "sqlite3 failed: $Sql" }
    }

    # The credentials rows, the audit row count and the settings, read straight from the file.
    function Get-RawState {
        $python = @'
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(json.dumps({
  "credentials": c.execute("SELECT exchange, name, hex(token), key_id, fingerprint, created, updated FROM credentials ORDER BY exchange, name").fetchall(),
  "audit_rows": c.execute("SELECT count(*) FROM audit_log").fetchone()[0],
  "settings": c.execute("SELECT name, value FROM settings ORDER BY name").fetchall()}))
'@
        $out = & /usr/bin/python3 -c $python (Get-DatabasePath)
        if ($LASTEXITCODE -ne 0) { throw 'sqlite3 read failed' }
        return $out | ConvertFrom-Json
    }

    # Everything a bad call must leave alone: Get-CtApiKey's view and the raw rows.
    function Get-StoredState {
        $listed = Get-CtApiKey | Select-Object Exchange, Name, Fingerprint, Permission, Created, Updated, EncryptionKeyId | ConvertTo-Json -Compress
        $raw = Get-RawState | ConvertTo-Json -Compress -Depth 5
        return "$listed`n$raw"
    }

    function Set-TestKey([string] $Exchange = 'paper', [string] $Name = 'default', [string] $ApiKey = 'AK-test', [string] $Secret = 'secret-test') {
        Set-CtApiKey -Exchange $Exchange -Name $Name -ApiKey $ApiKey -ApiSecret (ConvertTo-TestSecureString $Secret)
    }

    # Asserts a terminating error with this ErrorId and category whose message matches, and that nothing stored changed.
    function Assert-Refused([scriptblock] $Action, [string] $ErrorId, [string] $Category, [string] $Message) {
        $before = Get-StoredState
        # Refusals are non-terminating errors of the one input: -ErrorAction Stop (here as the preference) makes them throw.
        $thrown = { $ErrorActionPreference = 'Stop'; & $Action } | Should -Throw -ErrorId "$ErrorId,*" -PassThru
        $thrown.CategoryInfo.Category | Should -Be $Category
        $thrown.Exception.Message | Should -Match $Message
        Get-StoredState | Should -Be $before -Because 'a refused call changes nothing stored'
        return $thrown
    }

    function Use-TestVault {
        $env:PSModulePath = $env:CT_TEST_MODULES + [IO.Path]::PathSeparator + $script:Saved.ModulePath
        $env:HOME = Join-Path $env:CRYPTOTRADER_HOME 'profile'
        New-Item -ItemType Directory -Path $env:HOME -Force | Out-Null
        Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name CtVault -ModuleName (Join-Path $env:CT_TEST_MODULES 'CtTestVault') `
            -VaultParameters @{ Path = (Join-Path $env:HOME 'vault.json') } -DefaultVault
    }

    function Get-VaultRing {
        $info = @(Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Vault CtVault -Name 'CryptoTrader.KeyRing.*')
        $info.Count | Should -Be 1
        return Microsoft.PowerShell.SecretManagement\Get-Secret -Vault CtVault -Name $info[0].Name -AsPlainText | ConvertFrom-Json
    }

    function Remove-TestVault {
        if (Get-Command Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -ErrorAction Ignore) {
            Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name CtVault -ErrorAction Ignore
        }
        $env:HOME = $script:Saved.Home
        $env:PSModulePath = $script:Saved.ModulePath
    }
}

AfterAll {
    Restore-CtTestSession $script:Saved
}

Describe 'Set-, Get- and Remove-CtApiKey' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
    }

    It 'keeps several names per exchange, defaults the name and folds the exchange name to lower case' {
        Set-TestKey -Exchange 'Paper' | Out-Null
        Set-TestKey -Exchange 'PAPER' -Name 'Bot-1' -ApiKey 'AK-bot' | Out-Null
        Set-TestKey -Exchange 'paper' -Name 'strategy.a' | Out-Null
        $keys = @(Get-CtApiKey)
        $keys.Count | Should -Be 3
        ($keys | ForEach-Object { "$($_.Exchange)/$($_.Name)" }) | Should -Be @('paper/bot-1', 'paper/default', 'paper/strategy.a')
        @(Get-CtApiKey -Exchange 'PaPer').Count | Should -Be 3
        @(Get-CtApiKey -Exchange paper -Name 'bot*').Name | Should -Be 'bot-1'
        @(Get-CtApiKey -Name default).Exchange | Should -Be 'paper'
        $keys[0].Fingerprint | Should -Not -Be $keys[1].Fingerprint
    }

    It 'returns CryptoTrader.ApiKeyInfo objects with every documented property; new keys are ReadOnly' {
        $written = @(Set-TestKey)
        $key = Get-CtApiKey
        $key.PSObject.TypeNames[0] | Should -Be 'CryptoTrader.ApiKeyInfo'
        foreach ($property in 'Exchange', 'Name', 'Fingerprint', 'Permission', 'Created', 'Updated', 'AgeDays', 'EncryptionKeyId') {
            $key.PSObject.Properties.Name | Should -Contain $property
        }
        $key.Exchange | Should -Be 'paper'
        $key.Name | Should -Be 'default'
        $key.Permission | Should -Be 'ReadOnly'
        $key.Fingerprint | Should -Match '^fp:[0-9a-f]{16}$'
        $key.AgeDays | Should -Be 0
        $key.Created | Should -BeOfType [datetime]
        ([datetime]::UtcNow - $key.Created).TotalMinutes | Should -BeLessThan 5
        $key.Updated | Should -Be $key.Created
        $key.EncryptionKeyId | Should -Match '^k[0-9a-f]{16}$'
        $key.EncryptionKeyId | Should -Be $written[-1].Details.encryption_key_id
    }

    It 'writes API_KEY_CHANGED records (added, updated, removed) that equal Get-CtAuditLog''s' {
        $added = @(Set-TestKey)
        Start-Sleep -Milliseconds 1100
        $updated = @(Set-TestKey -ApiKey 'AK-second' -Secret 'another secret')
        $removed = @(Remove-CtApiKey -Exchange paper -Confirm:$false)
        $written = $added + $updated + $removed
        $written.Count | Should -Be 3
        $written.EventType | Should -Be @('API_KEY_CHANGED', 'API_KEY_CHANGED', 'API_KEY_CHANGED')
        $written.Details.action | Should -Be @('added', 'updated', 'removed')
        $written.Details.exchange | Should -Be @('paper', 'paper', 'paper')
        $written.Details.name | Should -Be @('default', 'default', 'default')
        $written[0].Details.fingerprint | Should -Match '^fp:[0-9a-f]{16}$'
        $written[1].Details.fingerprint | Should -Not -Be $written[0].Details.fingerprint
        $written[2].Details.fingerprint | Should -Be $written[1].Details.fingerprint
        $logged = @(Get-CtAuditLog -EventType API_KEY_CHANGED)
        $logged.Count | Should -Be 3
        for ($i = 0; $i -lt 3; $i++) {
            $logged[$i].PSObject.TypeNames[0] | Should -Be 'CryptoTrader.AuditRecord'
            $logged[$i].Sequence | Should -Be $written[$i].Sequence
            $logged[$i].ChainHash | Should -Be $written[$i].ChainHash
            ($logged[$i].Details | ConvertTo-Json -Compress) | Should -Be ($written[$i].Details | ConvertTo-Json -Compress)
        }
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }

    It 'keeps Created and moves Updated when a key is replaced' {
        Set-TestKey | Out-Null
        $first = Get-CtApiKey
        Start-Sleep -Milliseconds 1100
        Set-TestKey -Secret 'replacement secret' | Out-Null
        $second = Get-CtApiKey
        $second.Created | Should -Be $first.Created
        $second.Updated | Should -BeGreaterThan $first.Updated
        $second.Fingerprint | Should -Not -Be $first.Fingerprint
    }

    It 'removes what Get-CtApiKey pipes to it, by property name' {
        Set-TestKey -Name one | Out-Null
        Set-TestKey -Name two | Out-Null
        Set-TestKey -Exchange paper -Name second | Out-Null
        $records = @(Get-CtApiKey -Name one, two | Remove-CtApiKey -Confirm:$false)
        $records.Count | Should -Be 2
        ($records | ForEach-Object { "$($_.Details.exchange)/$($_.Details.name)/$($_.Details.action)" }) | Should -Be @('paper/one/removed', 'paper/two/removed')
        @(Get-CtApiKey).Name | Should -Be 'second'
        (Get-RawState).credentials.Count | Should -Be 1
    }

    It 'reports a missing credential on Remove without changing anything' {
        Set-TestKey | Out-Null
        $before = Get-StoredState
        Remove-CtApiKey -Exchange paper -Name other -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'CredentialNotFound,*'
        $failed[0].Exception.Message | Should -Match 'Set-CtApiKey -Exchange paper -Name other'
        Get-StoredState | Should -Be $before
    }

    It 'stores nothing with -WhatIf, and Remove -WhatIf keeps the key' {
        Set-CtApiKey -Exchange paper -ApiKey 'AK' -ApiSecret (ConvertTo-TestSecureString 's') -WhatIf | Should -BeNullOrEmpty
        Get-CtApiKey | Should -BeNullOrEmpty
        Set-TestKey -Exchange paper | Out-Null
        $before = Get-StoredState
        Set-CtApiKey -Exchange paper -ApiKey 'AK-2' -ApiSecret (ConvertTo-TestSecureString 's2') -WhatIf | Should -BeNullOrEmpty
        Remove-CtApiKey -Exchange paper -WhatIf | Should -BeNullOrEmpty
        Get-StoredState | Should -Be $before
    }

    It 'accepts -Credential (user name = API key, password = secret)' {
        $credential = [pscredential]::new('AK-from-credential', (ConvertTo-TestSecureString 'secret-from-credential'))
        $records = @(Set-CtApiKey -Exchange paper -Name cred -Credential $credential)
        $records[-1].Details.action | Should -Be 'added'
        # Same key and secret through -ApiKey/-ApiSecret: an update with the same fingerprint.
        $again = @(Set-CtApiKey -Exchange paper -Name cred -ApiKey 'AK-from-credential' -ApiSecret (ConvertTo-TestSecureString 'secret-from-credential'))
        $again[-1].Details.action | Should -Be 'updated'
        $again[-1].Details.fingerprint | Should -Be $records[-1].Details.fingerprint
        (Test-CtApiKey -Exchange paper).IsValid | Should -BeTrue
    }

    It 'asks for -ApiSecret or -Credential in a non-interactive session instead of prompting' {
        $script = @"
Import-Module '$(Get-CtModulePath)' -ErrorAction Stop
try { Set-CtApiKey -Exchange paper -ApiKey 'AK' -WarningAction SilentlyContinue -ErrorAction Stop; 'NO ERROR' }
catch { "ERRORID=`$(`$_.FullyQualifiedErrorId)"; "CATEGORY=`$(`$_.CategoryInfo.Category)"; "MESSAGE=`$(`$_.Exception.Message)" }
"@
        $result = Invoke-CtChildPwsh -Script $script -Environment @{ CRYPTOTRADER_HOME = $DataHome; CRYPTOTRADER_MASTER_KEY = $env:CRYPTOTRADER_MASTER_KEY }
        $result.Output | Should -Match 'ERRORID=ApiSecretRequired,CryptoTrader.PowerShell.Commands.SetCtApiKeyCommand'
        $result.Output | Should -Match 'CATEGORY=InvalidArgument'
        $result.Output | Should -Match 'MESSAGE=.*-ApiSecret.*-Credential'
        Get-CtApiKey | Should -BeNullOrEmpty
    }
}

Describe 'The maximum API key age' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
    }

    It 'warns about a key older than -MaxApiKeyAgeDays and shows its age, and not about a fresh one' {
        Set-CtConfig -MaxApiKeyAgeDays 1 | Out-Null
        Set-TestKey -Name old | Out-Null
        Set-TestKey -Name fresh | Out-Null
        $old = [datetime]::UtcNow.AddDays(-3).AddHours(-1).ToString('yyyy-MM-ddTHH:mm:ssZ')
        Invoke-RawSql "UPDATE credentials SET updated = '$old', created = '$old' WHERE name = 'old';"
        $keys = @(Get-CtApiKey -WarningVariable warned)
        ($keys | Where-Object Name -EQ old).AgeDays | Should -Be 3
        ($keys | Where-Object Name -EQ fresh).AgeDays | Should -Be 0
        $ageWarnings = @($warned | Where-Object { "$_" -match 'days old' })
        $ageWarnings.Count | Should -Be 1
        "$($ageWarnings[0])" | Should -Match 'paper/old is 3 days old \(maximum 1\)'
        "$($ageWarnings[0])" | Should -Match 'Set-CtApiKey'
        Get-CtApiKey -Name fresh -WarningVariable freshWarned | Out-Null
        @($freshWarned | Where-Object { "$_" -match 'days old' }).Count | Should -Be 0
    }

    It 'does not warn at the default maximum of 90 days for a key 89 days old, and does at 91' {
        Set-TestKey | Out-Null
        $old = [datetime]::UtcNow.AddDays(-89).ToString('yyyy-MM-ddTHH:mm:ssZ')
        Invoke-RawSql "UPDATE credentials SET updated = '$old';"
        Get-CtApiKey -WarningVariable warned | Out-Null
        @($warned | Where-Object { "$_" -match 'days old' }).Count | Should -Be 0
        $older = [datetime]::UtcNow.AddDays(-91).ToString('yyyy-MM-ddTHH:mm:ssZ')
        Invoke-RawSql "UPDATE credentials SET updated = '$older';"
        Get-CtApiKey -WarningVariable warned2 | Out-Null
        "$(@($warned2 | Where-Object { "$_" -match 'days old' }))" | Should -Match 'maximum 90'
    }
}

Describe 'Tab completion of -Exchange' {
    It 'offers the known exchanges for <Command>' -ForEach @(
        @{ Command = 'Set-CtApiKey' }, @{ Command = 'Get-CtApiKey' }, @{ Command = 'Remove-CtApiKey' }, @{ Command = 'Test-CtApiKey' }
    ) {
        $line = "$Command -Exchange "
        $all = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $all | Should -Contain 'paper'
        $all | Should -Contain 'coinbase'
        $line = "$Command -Exchange Co"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'coinbase'
    }
}

Describe 'Bad input is refused and changes nothing' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-TestKey | Out-Null
        Set-TestKey -Exchange paper | Out-Null
    }

    It 'refuses an empty API key' {
        Assert-Refused { Set-CtApiKey -Exchange paper -ApiKey '' -ApiSecret (ConvertTo-TestSecureString 'new secret') } 'InvalidApiKey' 'InvalidArgument' 'empty.*-ApiKey'
    }

    It 'refuses a whitespace API key' {
        Assert-Refused { Set-CtApiKey -Exchange paper -ApiKey "  `t " -ApiSecret (ConvertTo-TestSecureString 'new secret') } 'InvalidApiKey' 'InvalidArgument' '-ApiKey'
    }

    It 'refuses an empty API key given through -Credential' {
        $credential = [pscredential]::new(' ', (ConvertTo-TestSecureString 'new secret'))
        Assert-Refused { Set-CtApiKey -Exchange paper -Credential $credential } 'InvalidApiKey' 'InvalidArgument' '-ApiKey'
    }

    It 'refuses an API key with a <Label>' -ForEach @(
        @{ Label = 'line break'; Key = "ZZkey`nline" }, @{ Label = 'NUL'; Key = "ZZkey`0nul" }, @{ Label = 'tab'; Key = "ZZkey`ttab" }, @{ Label = 'DEL'; Key = "ZZkey$([char]0x7f)" }
    ) {
        $thrown = Assert-Refused { Set-CtApiKey -Exchange paper -ApiKey $Key -ApiSecret (ConvertTo-TestSecureString 'new secret') } 'InvalidApiKey' 'InvalidArgument' 'control character.*copy it again'
        $thrown.Exception.Message | Should -Not -Match 'ZZkey' -Because 'the message describes the key, it does not echo it'
    }

    It 'refuses an empty secret' {
        Assert-Refused { Set-CtApiKey -Exchange paper -ApiKey 'AK-new' -ApiSecret ([securestring]::new()) } 'InvalidApiSecret' 'InvalidArgument' 'empty.*-ApiSecret'
    }

    It 'refuses a whitespace secret' {
        Assert-Refused { Set-CtApiKey -Exchange paper -ApiKey 'AK-new' -ApiSecret (ConvertTo-TestSecureString "   `t`r`n") } 'InvalidApiSecret' 'InvalidArgument' '-ApiSecret'
    }

    It 'refuses a secret with a NUL' {
        Assert-Refused { Set-CtApiKey -Exchange paper -ApiKey 'AK-new' -ApiSecret (ConvertTo-TestSecureString "abc`0def") } 'InvalidApiSecret' 'InvalidArgument' 'NUL.*copy it again'
    }

    It 'refuses a secret over 16 KiB (<Label>)' -ForEach @(
        @{ Label = 'ASCII, 16385 bytes'; Secret = ('x' * 16385) }, @{ Label = 'two-byte characters, 8193 of them'; Secret = ([string][char]0xe9 * 8193) }
    ) {
        Assert-Refused { Set-CtApiKey -Exchange paper -ApiKey 'AK-new' -ApiSecret (ConvertTo-TestSecureString $Secret) } 'InvalidApiSecret' 'InvalidArgument' '16 KiB'
    }

    It 'accepts a secret of exactly 16 KiB' {
        $record = @(Set-CtApiKey -Exchange paper -Name big -ApiKey 'AK-big' -ApiSecret (ConvertTo-TestSecureString ('y' * 16384)))
        $record[-1].Details.action | Should -Be 'added'
        (Test-CtApiKey -Name big).IsValid | Should -BeTrue
    }

    It 'refuses an unknown exchange and lists the valid names' {
        $thrown = Assert-Refused { Set-CtApiKey -Exchange kraken -ApiKey 'AK-new' -ApiSecret (ConvertTo-TestSecureString 'new secret') } 'UnknownExchange' 'InvalidArgument' "'kraken' is not a known exchange\. Valid names: paper, coinbase\."
        $thrown.TargetObject | Should -Be 'kraken'
        Assert-Refused { Get-CtApiKey -Exchange kraken } 'UnknownExchange' 'InvalidArgument' 'paper, coinbase' | Out-Null
        Assert-Refused { Remove-CtApiKey -Exchange kraken -Confirm:$false } 'UnknownExchange' 'InvalidArgument' 'paper, coinbase' | Out-Null
        Assert-Refused { Test-CtApiKey -Exchange kraken } 'UnknownExchange' 'InvalidArgument' 'paper, coinbase' | Out-Null
    }

    It 'refuses an invalid -Name <Name>' -ForEach @(
        # An empty -Name is not refused: it counts as not given (an empty CSV cell), so it is 'default' (Pipeline.Tests.ps1).
        @{ Name = 'has space' }, @{ Name = '-leading' }, @{ Name = ('n' * 65) }, @{ Name = 'semi;colon' }
    ) {
        Assert-Refused { Set-CtApiKey -Exchange paper -Name $Name -ApiKey 'AK-new' -ApiSecret (ConvertTo-TestSecureString 'new secret') } 'InvalidCredentialName' 'InvalidArgument' '1 to 64 letters, digits' | Out-Null
        Assert-Refused { Remove-CtApiKey -Exchange paper -Name $Name -Confirm:$false } 'InvalidCredentialName' 'InvalidArgument' '1 to 64' | Out-Null
    }

    It 'refuses a locked key file and says to run Unlock-CtKeyStore' {
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        Set-TestKey | Out-Null
        Lock-CtKeyStore
        $thrown = Assert-Refused { Set-TestKey -Secret 'while locked' } 'KeyStoreLocked' 'SecurityError' 'Unlock-CtKeyStore'
        Assert-Refused { Remove-CtApiKey -Exchange paper -Confirm:$false } 'KeyStoreLocked' $thrown.CategoryInfo.Category 'Unlock-CtKeyStore' | Out-Null
        Assert-Refused { Update-CtEncryptionKey -Confirm:$false } 'KeyStoreLocked' $thrown.CategoryInfo.Category 'Unlock-CtKeyStore' | Out-Null
        Assert-Refused { Test-CtApiKey } 'KeyStoreLocked' $thrown.CategoryInfo.Category 'Unlock-CtKeyStore' | Out-Null
    }

    It 'refuses a missing key store (Environment selected, no variable) and says how to configure it' {
        Set-CtConfig -KeyStore Environment | Out-Null
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY
        # This session has the key ring cached (environment store included); Lock-CtKeyStore forgets it, as a new session would not have it.
        Lock-CtKeyStore
        Assert-Refused { Set-TestKey -Secret 'no store' } 'EnvironmentKeyMissing' 'ResourceUnavailable' 'CRYPTOTRADER_MASTER_KEY is not set.*Set-CtConfig -KeyStore' | Out-Null
        Assert-Refused { Remove-CtApiKey -Exchange paper -Confirm:$false } 'EnvironmentKeyMissing' 'ResourceUnavailable' 'Set-CtConfig -KeyStore' | Out-Null
        Assert-Refused { Update-CtEncryptionKey -Confirm:$false } 'EnvironmentKeyMissing' 'ResourceUnavailable' 'Set-CtConfig -KeyStore' | Out-Null
    }
}

Describe 'A credential row altered in the database file' {
    BeforeEach {
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        Set-TestKey | Out-Null
        Set-TestKey -Exchange paper -Name second | Out-Null
        # Flip one bit in the middle of the default token's bytes (inside the ciphertext).
        $hex = @(Invoke-CtRawSql "SELECT hex(token) FROM credentials WHERE name = 'default';")[0]
        $flipped = $hex.Substring(0, 90) + ('{0:X}' -f ([Convert]::ToInt32($hex[90], 16) -bxor 1)) + $hex.Substring(91)
        Invoke-RawSql "UPDATE credentials SET token = X'$flipped' WHERE name = 'default';"
    }

    It 'is reported by Test-CtApiKey naming the exchange, with an ERROR audit record' {
        $checks = @(Test-CtApiKey -WarningVariable warned)
        $checks.Count | Should -Be 2
        $bad = $checks | Where-Object Name -EQ default
        $bad.IsValid | Should -BeFalse
        $bad.Reason | Should -Match "exchange 'paper'.*cannot be decrypted.*Set-CtApiKey"
        ($checks | Where-Object Name -EQ second).IsValid | Should -BeTrue
        "$warned" | Should -Match "exchange 'paper'"
        $errors = @(Get-CtAuditLog -EventType ERROR)
        $errors.Count | Should -Be 1
        $errors[0].Details.error_id | Should -Be 'CredentialIntegrityFailed'
        $errors[0].Details.exchange | Should -Be 'paper'
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }

    It 'stops Update-CtEncryptionKey with CredentialIntegrityFailed, leaving key ring and rows as they were' {
        $keyFile = Join-Path $DataHome 'keyring.key'
        $ringBefore = (Get-FileHash $keyFile).Hash
        $rowsBefore = (Get-RawState).credentials | ConvertTo-Json -Compress
        $keysBefore = Get-CtApiKey | ConvertTo-Json -Compress
        $thrown = { Update-CtEncryptionKey -Confirm:$false } | Should -Throw -ErrorId 'CredentialIntegrityFailed,*' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'SecurityError'
        $thrown.Exception.Message | Should -Match "exchange 'paper'"
        $thrown.Exception.Message | Should -Match 'Set-CtApiKey'
        $thrown.TargetObject | Should -Be 'paper'
        (Get-RawState).credentials | ConvertTo-Json -Compress | Should -Be $rowsBefore
        Get-CtApiKey | ConvertTo-Json -Compress | Should -Be $keysBefore
        (Get-FileHash $keyFile).Hash | Should -Be $ringBefore -Because 'a rotation that cannot finish must not add a key'
        @(Get-CtAuditLog -EventType ERROR).Details.exchange | Should -Be 'paper'
        @(Get-CtAuditLog -EventType ENCRYPTION_KEY_ROTATED).Count | Should -Be 0
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }

    It 'can be repaired with Set-CtApiKey, after which rotation succeeds' {
        Set-TestKey -Secret 'stored again' | Out-Null
        (Test-CtApiKey).IsValid | Should -Be @($true, $true)
        $rotated = Update-CtEncryptionKey -Confirm:$false
        $rotated.Details.reencrypted | Should -Be 2
    }

    It 'detects a token moved to another row' {
        Set-TestKey -Name other | Out-Null
        Invoke-RawSql "UPDATE credentials SET token = (SELECT token FROM credentials WHERE exchange = 'paper' AND name = 'other'), key_id = (SELECT key_id FROM credentials WHERE exchange = 'paper' AND name = 'other') WHERE name = 'second';"
        $check = Test-CtApiKey -Name second
        $check.IsValid | Should -BeFalse
        $check.Reason | Should -Match "exchange 'paper'.*belongs to another credential"
    }
}

Describe 'Secrets never leak' {
    BeforeAll {
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
        $script:DataHome = New-CtTestHome
        $script:Secret = 'S3cr3t-' + [guid]::NewGuid().ToString('N')
        $script:ApiKey = 'AKey-' + [guid]::NewGuid().ToString('N')
        Unlock-CtKeyStore -Password $Passphrase | Out-Null

        $script:Texts = [Collections.Generic.List[string]]::new()
        # Runs a command with every stream on and collects everything it produced, as text, into $Texts.
        $script:Common = @{ Verbose = $true; Debug = $true; InformationAction = 'Continue'; ErrorAction = 'Continue'; WarningAction = 'Continue'
            ErrorVariable = '+ev'; WarningVariable = '+wv'; InformationVariable = '+iv' }
        # Runs a command (which splats @Common) and collects everything it produced, as text, into $Texts.
        function Invoke-Captured([scriptblock] $Command) {
            $variables = [Collections.Generic.List[object]]::new()
            $all = & {
                $ErrorActionPreference = 'Continue'
                $ev = $null; $wv = $null; $iv = $null
                # Pester's own try/catch would turn a statement-terminating error into an exception: catch it here.
                try { . $Command } catch { $variables.Add($_) }
                foreach ($x in @($ev) + @($wv) + @($iv)) { if ($null -ne $x) { $variables.Add($x) } }
            } *>&1
            foreach ($item in @($all) + @($variables)) {
                if ($null -eq $item) { continue }
                $script:Texts.Add("$item")
                $script:Texts.Add($item.ToString())
                $script:Texts.Add(($item | Format-List * -Force | Out-String -Width 4096))
                $script:Texts.Add(($item | Format-Table * | Out-String -Width 4096))
                if ($item.PSObject.TypeNames[0] -like 'CryptoTrader.*') { $script:Texts.Add(($item | ConvertTo-Json -Depth 5 -WarningAction Ignore)) }
                if ($item -is [Management.Automation.ErrorRecord]) {
                    $script:Texts.Add($item.Exception.ToString())
                    $script:Texts.Add("$($item.TargetObject)")
                    $script:Texts.Add(($item.TargetObject | Format-List * -Force | Out-String -Width 4096))
                    $script:Texts.Add("$($item.ErrorDetails)")
                    $script:Texts.Add($item.ScriptStackTrace)
                }
            }
            return @($all)
        }
        function Assert-NoLeak([string] $Where, [string] $Text) {
            $Text.Contains($script:Secret) | Should -BeFalse -Because "the secret must not appear in $Where"
            $Text.Contains($script:ApiKey) | Should -BeFalse -Because "the API key must not appear in $Where"
        }
        function Assert-FileHasNoLeak([string] $Path) {
            if (-not (Test-Path $Path)) { return }
            $bytes = [IO.File]::ReadAllBytes($Path)
            foreach ($encoding in [Text.Encoding]::UTF8, [Text.Encoding]::Unicode, [Text.Encoding]::BigEndianUnicode) {
                $text = $encoding.GetString($bytes)
                Assert-NoLeak "$Path ($($encoding.EncodingName))" $text
            }
            # base64 of the plaintext secret would also be a leak
            $latin = [Text.Encoding]::Latin1.GetString($bytes)
            $latin.Contains([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($script:Secret)).Substring(0, 40)) | Should -BeFalse
        }
    }

    It 'appears in no stream, record, error, object or file across Set, Get, Test, Update and Remove' {
        $secure = ConvertTo-TestSecureString $Secret
        Invoke-Captured { Set-CtApiKey -Exchange paper -ApiKey $ApiKey -ApiSecret $secure @Common } | Out-Null
        Invoke-Captured { Set-CtApiKey -Exchange paper -Name second -Credential ([pscredential]::new($ApiKey, $secure)) @Common } | Out-Null
        $listed = Invoke-Captured { Get-CtApiKey @Common }
        @($listed | Where-Object { $_.PSObject.TypeNames[0] -eq 'CryptoTrader.ApiKeyInfo' }).Count | Should -Be 2
        $checked = Invoke-Captured { Test-CtApiKey @Common }
        @($checked | Where-Object { $_.PSObject.TypeNames[0] -eq 'CryptoTrader.ApiKeyCheck' -and $_.IsValid }).Count | Should -Be 2
        $rotated = Invoke-Captured { Update-CtEncryptionKey -Confirm:$false @Common }
        @($rotated | Where-Object { "$($_.EventType)" -eq 'ENCRYPTION_KEY_ROTATED' }).Count | Should -Be 1

        # A failing Set with the secret given must not leak it either.
        Invoke-Captured { Set-CtApiKey -Exchange kraken -ApiKey $ApiKey -ApiSecret $secure @Common } | Out-Null
        Invoke-Captured { Set-CtApiKey -Exchange paper -Name 'bad name' -ApiKey $ApiKey -ApiSecret $secure @Common } | Out-Null
        Invoke-Captured { Set-CtApiKey -Exchange paper -ApiKey "$ApiKey`n" -ApiSecret $secure @Common } | Out-Null
        Invoke-Captured { Set-CtApiKey -Exchange paper -ApiKey $ApiKey -ApiSecret (ConvertTo-TestSecureString "$Secret`0") @Common } | Out-Null
        Invoke-Captured { Set-CtApiKey -Exchange paper -ApiKey $ApiKey -ApiSecret (ConvertTo-TestSecureString ($Secret * 500)) @Common } | Out-Null
        $script:Texts | Where-Object { $_ -match 'UnknownExchange' } | Should -Not -BeNullOrEmpty -Because 'the failing Set was captured'
        $script:Texts | Where-Object { $_ -match 'InvalidApiSecret|larger than 16 KiB' } | Should -Not -BeNullOrEmpty

        $removed = Invoke-Captured { Get-CtApiKey -Name second | Remove-CtApiKey -Confirm:$false @Common }
        @($removed | Where-Object { "$($_.EventType)" -eq 'API_KEY_CHANGED' }).Count | Should -Be 1

        $script:Texts.Count | Should -BeGreaterThan 20
        foreach ($text in $script:Texts) { Assert-NoLeak 'command output' $text }

        $export = Join-Path $TestDrive 'export.json'
        Export-CtAuditLog -Path $export | Out-Null
        Assert-NoLeak 'the audit export' (Get-Content $export -Raw)
        Assert-NoLeak 'Get-CtAuditLog | ConvertTo-Json' (Get-CtAuditLog | ConvertTo-Json -Depth 5)
        Assert-NoLeak 'Get-CtAuditLog | Format-List' (Get-CtAuditLog | Format-List * | Out-String -Width 4096)
        @(Get-CtAuditLog -EventType API_KEY_CHANGED).Count | Should -Be 3

        foreach ($file in Get-ChildItem -Path $DataHome -File -Recurse) { Assert-FileHasNoLeak $file.FullName }
        Assert-FileHasNoLeak (Join-Path $DataHome 'cryptotrader.db')
        Assert-FileHasNoLeak (Join-Path $DataHome 'cryptotrader.db-wal')
        Assert-FileHasNoLeak (Join-Path $DataHome 'keyring.key')
        (Join-Path $DataHome 'keyring.key') | Should -Exist
        (Join-Path $DataHome 'cryptotrader.db') | Should -Exist
    }

    It 'is still the stored secret: the remaining credential decrypts' {
        (Test-CtApiKey -Name default).IsValid | Should -BeTrue
    }
}

Describe 'End to end with the <Store> key store' -ForEach @(
    @{ Store = 'Environment' }, @{ Store = 'File' }, @{ Store = 'SecretManagement' }
) {
    BeforeEach {
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
        $script:DataHome = New-CtTestHome
        switch ($Store) {
            'Environment' { $script:FirstKey = New-CtTestFernetKey; $env:CRYPTOTRADER_MASTER_KEY = $FirstKey }
            'File' { Unlock-CtKeyStore -Password $Passphrase | Out-Null }
            'SecretManagement' { Use-TestVault }
        }
    }
    AfterEach {
        if ($Store -eq 'SecretManagement') { Remove-TestVault }
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
    }

    It 'sets two keys, rotates, tests them valid and removes them' {
        (Get-CtConfig).KeyStoreInUse | Should -Be $Store
        Set-TestKey -ApiKey 'AK-one' -Secret 'secret one' | Out-Null
        Set-TestKey -Exchange paper -Name bot -ApiKey 'AK-two' -Secret 'secret two' | Out-Null
        $before = @(Get-CtApiKey)
        $oldId = $before[0].EncryptionKeyId
        if ($Store -eq 'Environment') {
            # The environment store is read-only: the user puts the new key first, and the command re-encrypts.
            $env:CRYPTOTRADER_MASTER_KEY = "$(New-CtTestFernetKey),$FirstKey"
        }
        $rotated = Update-CtEncryptionKey -Confirm:$false
        $rotated.EventType | Should -Be 'ENCRYPTION_KEY_ROTATED'
        $rotated.Details.reencrypted | Should -Be 2
        $after = @(Get-CtApiKey)
        $after.EncryptionKeyId | Select-Object -Unique | Should -Be $rotated.Details.new_key_id
        $rotated.Details.new_key_id | Should -Not -Be $oldId
        $after.Fingerprint | Should -Be $before.Fingerprint
        $checks = @(Test-CtApiKey)
        $checks.Count | Should -Be 2
        $checks.IsValid | Should -Be @($true, $true)
        (Test-CtAuditLog).IsValid | Should -BeTrue
        $removed = @(Get-CtApiKey | Remove-CtApiKey -Confirm:$false)
        $removed.Details.action | Should -Be @('removed', 'removed')
        Get-CtApiKey | Should -BeNullOrEmpty
        (Get-RawState).credentials.Count | Should -Be 0
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }
}

Describe 'Update-CtEncryptionKey' {
    Context 'with the vault store (the key ring can be read back)' {
        BeforeEach {
            Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
            $script:DataHome = New-CtTestHome
            Use-TestVault
        }
        AfterEach { Remove-TestVault }

        It 'makes a new primary, re-encrypts every key under it and retires the old key but keeps it' {
            Set-TestKey | Out-Null
            Set-TestKey -Name two | Out-Null
            Set-TestKey -Exchange paper -Name three | Out-Null
            $oldId = (Get-CtApiKey)[0].EncryptionKeyId
            (Get-VaultRing).primary | Should -Be $oldId
            $rotated = @(Update-CtEncryptionKey -Confirm:$false)
            $rotated.Count | Should -Be 1
            $record = $rotated[0]
            $record.EventType | Should -Be 'ENCRYPTION_KEY_ROTATED'
            $record.Details.old_key_id | Should -Be $oldId
            $record.Details.new_key_id | Should -Not -Be $oldId
            $record.Details.reencrypted | Should -Be 3
            $record.Details.retired_key_ids | Should -Be $oldId
            (Get-CtAuditLog -Last 1).ChainHash | Should -Be $record.ChainHash
            @(Get-CtApiKey).EncryptionKeyId | Select-Object -Unique | Should -Be $record.Details.new_key_id
            $ring = Get-VaultRing
            $ring.primary | Should -Be $record.Details.new_key_id
            $old = $ring.keys | Where-Object id -EQ $oldId
            $old | Should -Not -BeNullOrEmpty -Because 'the old key stays in the ring for the records it sealed'
            $old.retired | Should -BeTrue
            ($ring.keys | Where-Object id -EQ $record.Details.new_key_id).retired | Should -BeFalse
            (Test-CtApiKey).IsValid | Should -Be @($true, $true, $true)
        }

        It 'rotates twice, keeping every old key, and new keys are stored under the newest primary' {
            Set-TestKey | Out-Null
            $first = Update-CtEncryptionKey -Confirm:$false
            $second = Update-CtEncryptionKey -Confirm:$false
            $second.Details.old_key_id | Should -Be $first.Details.new_key_id
            Set-TestKey -Exchange paper | Out-Null
            @(Get-CtApiKey).EncryptionKeyId | Select-Object -Unique | Should -Be $second.Details.new_key_id
            $ring = Get-VaultRing
            @($ring.keys).Count | Should -Be 3
            @($ring.keys | Where-Object retired).Count | Should -Be 2
        }

        It 'rotates an empty store too' {
            $created = @(Set-CtConfig -AuditUserId someone)[0]
            $rotated = Update-CtEncryptionKey -Confirm:$false
            $rotated.Details.reencrypted | Should -Be 0
            $rotated.Details.old_key_id | Should -Be $created.Details.key_id
            (Get-VaultRing).primary | Should -Be $rotated.Details.new_key_id
        }

        It 'changes nothing with -WhatIf' {
            Set-TestKey | Out-Null
            $ring = Get-VaultRing | ConvertTo-Json -Depth 5
            $before = Get-StoredState
            Update-CtEncryptionKey -WhatIf | Should -BeNullOrEmpty
            Get-VaultRing | ConvertTo-Json -Depth 5 | Should -Be $ring
            Get-StoredState | Should -Be $before
        }
    }

    Context 'with the key file' {
        It 'still verifies the audit records sealed with the old key' {
            Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
            $script:DataHome = New-CtTestHome
            Unlock-CtKeyStore -Password $Passphrase | Out-Null
            $sealed = @(Set-TestKey)[-1]
            $rotated = Update-CtEncryptionKey -Confirm:$false
            $sealed.KeyId | Should -Be $rotated.Details.old_key_id
            $rotated.KeyId | Should -Be $rotated.Details.new_key_id
            Lock-CtKeyStore
            Unlock-CtKeyStore -Password $Passphrase | Out-Null
            $verification = Test-CtAuditLog
            $verification.IsValid | Should -BeTrue
            $verification.RecordCount | Should -Be @(Get-CtAuditLog).Count
            (Test-CtApiKey).IsValid | Should -BeTrue
        }
    }

    Context 'in another process' {
        It 'is picked up by this session: its cached key ring is read again, no false integrity errors' {
            Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
            $script:DataHome = New-CtTestHome
            Unlock-CtKeyStore -Password $Passphrase | Out-Null
            Set-TestKey | Out-Null
            Set-TestKey -Exchange paper -Name second | Out-Null
            (Test-CtApiKey).IsValid | Should -Be @($true, $true)
            $script = @"
Import-Module '$(Get-CtModulePath)' -ErrorAction Stop
Unlock-CtKeyStore -Password (ConvertTo-SecureString 'a long enough test passphrase' -AsPlainText -Force) | Out-Null
(Update-CtEncryptionKey -Confirm:`$false -ErrorAction Stop).Details.new_key_id
"@
            $child = Invoke-CtChildPwsh -Script $script -Environment @{ CRYPTOTRADER_HOME = $DataHome }
            $child.ExitCode | Should -Be 0 -Because $child.Output
            $newId = ($child.Output -split "`n")[-1].Trim()
            $checks = @(Test-CtApiKey -WarningVariable warned)
            $checks.IsValid | Should -Be @($true, $true) -Because "$warned"
            @(Get-CtAuditLog -EventType ERROR).Count | Should -Be 0
            $written = @(Set-TestKey -Name after)
            $written[-1].Details.encryption_key_id | Should -Be $newId -Because 'new keys go under the primary the other process made'
            (Test-CtAuditLog).IsValid | Should -BeTrue
        }
    }

    Context 'with the environment store' {
        It 'refuses with KeyStoreReadOnly and changes nothing' {
            $script:DataHome = New-CtTestHome
            $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
            Set-TestKey | Out-Null
            Set-TestKey -Exchange paper -Name second | Out-Null
            $thrown = Assert-Refused { Update-CtEncryptionKey -Confirm:$false } 'KeyStoreReadOnly' 'InvalidOperation' 'Put the new key first in the variable'
            $thrown.TargetObject | Should -Be 'CRYPTOTRADER_MASTER_KEY'
            @(Get-CtAuditLog -EventType ENCRYPTION_KEY_ROTATED).Count | Should -Be 0
            (Test-CtApiKey).IsValid | Should -Be @($true, $true)
        }

        It 're-encrypts every key under a new key the user put first in the variable' {
            $script:DataHome = New-CtTestHome
            $old = New-CtTestFernetKey
            $env:CRYPTOTRADER_MASTER_KEY = $old
            Set-TestKey | Out-Null
            Set-TestKey -Exchange paper -Name second | Out-Null
            $oldId = (Get-CtApiKey)[0].EncryptionKeyId
            $env:CRYPTOTRADER_MASTER_KEY = "$(New-CtTestFernetKey),$old"

            $record = Update-CtEncryptionKey -Confirm:$false -WarningAction SilentlyContinue

            $record.Details.resumed | Should -BeTrue
            $record.Details.reencrypted | Should -Be 2
            $record.Details.new_key_id | Should -Not -Be $oldId
            @(Get-CtApiKey -WarningAction SilentlyContinue).EncryptionKeyId | Should -Be @($record.Details.new_key_id, $record.Details.new_key_id)
            (Test-CtApiKey -WarningAction SilentlyContinue).IsValid | Should -Be @($true, $true)
            (Test-CtAuditLog).IsValid | Should -BeTrue
        }
    }
}
