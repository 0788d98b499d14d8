BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
    $script:Passphrase = ConvertTo-TestSecureString 'a long enough test passphrase'
    function Get-Mode([string] $Path) { [Convert]::ToString([int](Get-Item -Force $Path).UnixFileMode, 8) }
}

AfterAll {
    Restore-CtTestSession $script:Saved
}

Describe 'The encrypted key file store' {
    BeforeEach {
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
        $script:DataHome = New-CtTestHome
    }

    It 'is created by the first unlock, with the key ring, an audit record and private files' {
        $records = @(Unlock-CtKeyStore -Password $Passphrase)
        $records.Count | Should -Be 1
        $records[0].EventType | Should -Be 'ENCRYPTION_KEY_CREATED'
        $records[0].Details.key_store | Should -Be 'File'
        Get-Mode $DataHome | Should -Be '700'
        foreach ($file in 'keyring.key', 'cryptotrader.db', 'audit.head') {
            Get-Mode (Join-Path $DataHome $file) | Should -Be '600' -Because "$file must be private"
        }
        Get-Content (Join-Path $DataHome 'keyring.key') -Raw | Should -Match '"iterations": 600000'
    }

    It 'refuses a wrong passphrase with a clear error' {
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        Lock-CtKeyStore
        $thrown = { Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'not the passphrase') -ErrorAction Stop } |
            Should -Throw -ErrorId 'WrongPassphrase,CryptoTrader.PowerShell.Commands.UnlockCtKeyStoreCommand' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'SecurityError'
        $thrown.TargetObject | Should -Be (Join-Path $DataHome 'keyring.key')
        $thrown.Exception.Message | Should -Match 'Unlock-CtKeyStore'
    }

    It 'refuses a short passphrase for a new key file and creates nothing' {
        { Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'short') -ErrorAction Stop } | Should -Throw -ErrorId 'WeakPassphrase,*'
        Join-Path $DataHome 'keyring.key' | Should -Not -Exist
    }

    It 'does not prompt in a non-interactive session: it asks for -Password' {
        { Unlock-CtKeyStore -ErrorAction Stop } | Should -Throw -ErrorId 'PassphraseRequired,*'
    }

    It 'is needed again after Lock-CtKeyStore, and the error says how to unlock' {
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        Lock-CtKeyStore
        $thrown = { Set-CtConfig -AuditUserId 'x' } | Should -Throw -ErrorId 'KeyStoreLocked,*' -PassThru
        $thrown.Exception.Message | Should -Match 'Unlock-CtKeyStore'
        (Get-CtConfig).AuditUserId | Should -BeNullOrEmpty
    }

    It 'refuses a key file that others can read, and says how to fix it' {
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        Lock-CtKeyStore
        $keyFile = Join-Path $DataHome 'keyring.key'
        chmod 644 $keyFile
        $thrown = { Unlock-CtKeyStore -Password $Passphrase } | Should -Throw -ErrorId 'KeyFileInsecure,*' -PassThru
        $thrown.Exception.Message | Should -Match "chmod 600 '$([regex]::Escape($keyFile))'"
    }

    It 'gets one key ring when two processes start on a new data folder at once' {
        $script = @"
Import-Module '$(Get-CtModulePath)' -ErrorAction Stop
Unlock-CtKeyStore -Password (ConvertTo-SecureString 'a long enough test passphrase' -AsPlainText -Force) | Out-Null
(Set-CtConfig -AuditUserId "p`$PID" -ErrorAction Stop).KeyId
"@
        $helpers = Join-Path $PSScriptRoot 'TestHelpers.psm1'
        $jobs = 1..2 | ForEach-Object {
            Start-ThreadJob -ArgumentList $helpers, $script, $DataHome -ScriptBlock {
                param($helpers, $script, $dataHome)
                Import-Module $helpers
                Invoke-CtChildPwsh -Script $script -Environment @{ CRYPTOTRADER_HOME = $dataHome }
            }
        }
        $results = $jobs | Receive-Job -Wait -AutoRemoveJob
        $results | ForEach-Object { $_.ExitCode | Should -Be 0 -Because $_.Output }
        $keyIds = $results | ForEach-Object { ($_.Output -split "`n")[-1].Trim() }
        $keyIds[0] | Should -Match '^k[0-9a-f]{16}$'
        $keyIds[1] | Should -Be $keyIds[0]
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        @(Get-CtAuditLog -EventType ENCRYPTION_KEY_CREATED).Count | Should -Be 1
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }
}

Describe 'The environment store (development only)' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
    }
    AfterEach { Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore }

    It 'warns on every use' {
        Set-CtConfig -AuditUserId 'one' -WarningVariable first -WarningAction SilentlyContinue | Out-Null
        Test-CtAuditLog -WarningVariable second -WarningAction SilentlyContinue | Out-Null
        "$first" | Should -Match 'development only'
        "$second" | Should -Match 'development only'
    }

    It 'rejects a variable that holds no valid key, without echoing it' {
        $env:CRYPTOTRADER_MASTER_KEY = 'not-a-key-SECRETISH'
        $thrown = { Set-CtConfig -AuditUserId 'x' -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'EnvironmentKeyInvalid,*' -PassThru
        $thrown.Exception.Message | Should -Not -Match 'SECRETISH'
    }

    It 'cannot be written, so a key ring is never generated into it' {
        $env:CRYPTOTRADER_MASTER_KEY = ''
        $thrown = { Set-CtConfig -KeyStore Environment -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'EnvironmentKeyMissing,*' -PassThru
        $thrown.Exception.Message | Should -Match 'CRYPTOTRADER_MASTER_KEY is not set'
        (Get-CtConfig).KeyStore | Should -Be 'Auto'
    }
}

Describe 'The SecretManagement vault store (through the stand-in)' {
    BeforeAll {
        $script:SavedHome = $env:HOME
        $script:SavedModulePath = $env:PSModulePath
        $env:PSModulePath = $env:CT_TEST_MODULES + [IO.Path]::PathSeparator + $env:PSModulePath
    }
    AfterAll {
        $env:HOME = $script:SavedHome
        $env:PSModulePath = $script:SavedModulePath
    }
    BeforeEach {
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
        $script:DataHome = New-CtTestHome
        $env:HOME = Join-Path $DataHome 'profile'
        New-Item -ItemType Directory -Path $env:HOME | Out-Null
        $script:VaultFile = Join-Path $env:HOME 'vault.json'
        Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name CtVault -ModuleName (Join-Path $env:CT_TEST_MODULES 'CtTestVault') -VaultParameters @{ Path = $VaultFile } -DefaultVault
    }
    AfterEach {
        Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name CtVault -ErrorAction Ignore
    }

    It 'is chosen automatically when a vault is registered' {
        $config = Get-CtConfig
        $config.KeyStoreInUse | Should -Be 'SecretManagement'
        $config.KeyStoreReason | Should -Match "vault 'CtVault' is registered"
        $config.KeyStoreLocation | Should -Match "vault 'CtVault', secret 'CryptoTrader\.KeyRing\.[0-9a-f]{32}'"
    }

    It 'generates the key ring into the vault on first use and audits it' {
        $records = @(Set-CtConfig -AuditUserId 'vault-user')
        $records[0].EventType | Should -Be 'ENCRYPTION_KEY_CREATED'
        $records[0].Details.key_store | Should -Be 'SecretManagement'
        $info = @(Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Vault CtVault -Name 'CryptoTrader.KeyRing.*')
        $info.Count | Should -Be 1
        $ring = Microsoft.PowerShell.SecretManagement\Get-Secret -Vault CtVault -Name $info[0].Name -AsPlainText | ConvertFrom-Json
        $ring.primary | Should -Be $records[0].Details.key_id
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }

    It 'reads the vault once per session and then holds the key ring in memory' {
        Set-CtConfig -AuditUserId 'first' | Out-Null
        Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name CtVault
        Register-SecretVault -Name CtVault -ModuleName (Join-Path $env:CT_TEST_MODULES 'CtTestVault') -VaultParameters @{ Path = $VaultFile; Locked = $true; Password = 'pw' } -DefaultVault
        { Set-CtConfig -AuditUserId 'second' } | Should -Not -Throw
        Lock-CtKeyStore
        $thrown = { Set-CtConfig -AuditUserId 'third' } | Should -Throw -ErrorId 'KeyStoreUnavailable,*' -PassThru
        $thrown.Exception.Message | Should -Match 'Unlock-SecretVault -Name CtVault'
        (Get-CtConfig).AuditUserId | Should -Be 'second'
    }

    It 'calls the real SecretManagement commands, not a look-alike Get-Secret' {
        function global:Get-Secret { throw 'the look-alike Get-Secret was called' }
        function global:Set-Secret { throw 'the look-alike Set-Secret was called' }
        try {
            { Set-CtConfig -AuditUserId 'qualified' } | Should -Not -Throw
            Lock-CtKeyStore
            { Test-CtAuditLog } | Should -Not -Throw
        }
        finally {
            Remove-Item Function:\Get-Secret, Function:\Set-Secret
        }
    }
}
