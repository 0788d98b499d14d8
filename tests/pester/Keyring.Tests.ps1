# The OS keyring store against a real gnome-keyring on a private session bus that this suite starts itself
# (tests/keyring/start-test-keyring.sh): no desktop, never the user's own keyring. Skipped, with the reason,
# only where dbus/gnome-keyring/secret-tool are not installed (.ci/run installs them).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
    $script:Why = Get-CtTestKeyringUnavailableReason
    if (-not $Why) { $script:Keyring = Start-CtTestKeyring }
}

AfterAll {
    if ($script:Keyring) { Stop-CtTestKeyring $script:Keyring }
    Restore-CtTestSession $script:Saved
}

Describe 'The OS keyring store (Secret Service)' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
    }

    It 'runs the whole story with Set-CtConfig -KeyStore Keyring: key, grant, paper trade, rotation, audit' {
        if ($Why) { Set-ItResult -Skipped -Because $Why; return }
        $records = @(Set-CtConfig -KeyStore Keyring)
        ($records | Where-Object EventType -eq 'ENCRYPTION_KEY_CREATED').Details.key_store | Should -Be 'Keyring'
        $config = Get-CtConfig
        $config.KeyStoreInUse | Should -Be 'Keyring'
        $config.KeyStoreReason | Should -Be 'set with Set-CtConfig -KeyStore Keyring'
        $config.KeyStoreLocation | Should -Be "Secret Service item 'CryptoTrader key ring ($DataHome)'"

        Set-CtApiKey -Exchange paper -ApiKey 'keyring-key' -ApiSecret (ConvertTo-TestSecureString 'paper-secret-for-keyring') | Out-Null
        Reset-CtPaperAccount -Balance @{ USD = 10000 } | Out-Null
        Set-CtPaperPrice -Symbol BTC-USD -Price 65000
        { Invoke-CtTrade -Exchange paper -Symbol BTC-USD -Side Buy -Quantity 0.01 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'TradingNotEnabled,*'
        Grant-CtTrading -Exchange paper -Duration (New-TimeSpan -Hours 1) -MaxOrderValue 1000 -Confirm:$false | Out-Null
        $trade = @(Invoke-CtTrade -Exchange paper -Symbol BTC-USD -Side Buy -Quantity 0.01 -Confirm:$false)
        ($trade | Where-Object EventType -eq 'TRADE_EXECUTED').Details.status | Should -Be 'filled'

        # The key ring really is in the daemon, and a rotation updates the one item in place.
        $lookup = Invoke-CtSecretTool $Keyring lookup application CryptoTrader data-folder $DataHome
        $lookup.ExitCode | Should -Be 0
        $before = ($lookup.Output | ConvertFrom-Json).primary
        Update-CtEncryptionKey -Confirm:$false | Out-Null
        $after = ((Invoke-CtSecretTool $Keyring lookup application CryptoTrader data-folder $DataHome).Output | ConvertFrom-Json)
        $after.primary | Should -Not -Be $before
        @($after.keys).Count | Should -Be 2
        $search = Invoke-CtSecretTool $Keyring search --all application CryptoTrader data-folder $DataHome
        ([regex]::Matches($search.Output, '(?m)^\[/')).Count | Should -Be 1

        # Unlock-CtKeyStore is for the key file; the error says how the OS keyring is unlocked.
        $thrown = { Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'not used here') } | Should -Throw -ErrorId 'KeyStoreNotUnlockable,*' -PassThru
        $thrown.Exception.Message | Should -Match 'gnome-keyring-daemon --unlock'

        # A new session reads the key ring back from the keyring.
        Lock-CtKeyStore
        (Get-CtApiKey -Exchange paper).Fingerprint | Should -Match '^fp:'
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }

    It 'is chosen automatically when no vault is registered and the keyring is unlocked, and says why' {
        if ($Why) { Set-ItResult -Skipped -Because $Why; return }
        $config = Get-CtConfig
        $config.KeyStoreInUse | Should -Be 'Keyring'
        $config.KeyStoreReason | Should -Be 'automatic: no SecretManagement vault is registered; the OS keyring (Secret Service) is available and unlocked'
        $records = @(Set-CtConfig -AuditUserId 'auto-keyring')
        $records[0].Details.key_store | Should -Be 'Keyring'
        (Get-CtConfig).KeyStoreReason | Should -Be "automatic: this database's key ring is kept in the Keyring store"
    }

    It 'Move-CtKeyRing moves the key ring from the key file into the OS keyring and back, deleting each old copy' {
        if ($Why) { Set-ItResult -Skipped -Because $Why; return }
        $passphrase = ConvertTo-TestSecureString 'a long key file passphrase'
        Set-CtConfig -KeyStore File -Password $passphrase -Confirm:$false | Out-Null
        Set-CtApiKey -Exchange paper -ApiKey 'moved-key' -ApiSecret (ConvertTo-TestSecureString 'paper-secret-to-move') | Out-Null
        $keyFile = Join-Path $DataHome 'keyring.key'
        $keyId = (Test-CtApiKey -Exchange paper).EncryptionKeyId

        $toKeyring = @(Move-CtKeyRing -KeyStore Keyring -Confirm:$false)
        $toKeyring[0].Details.old_value | Should -Be 'File'
        $toKeyring[0].Details.new_value | Should -Be 'Keyring'
        $keyFile | Should -Not -Exist
        $lookup = Invoke-CtSecretTool $Keyring lookup application CryptoTrader data-folder $DataHome
        $lookup.ExitCode | Should -Be 0
        ($lookup.Output | ConvertFrom-Json).primary | Should -Not -BeNullOrEmpty
        Reset-CtModuleSession
        (Get-CtConfig).KeyStoreInUse | Should -Be 'Keyring'
        $check = Test-CtApiKey -Exchange paper
        $check.IsValid | Should -BeTrue -Because $check.Reason
        $check.EncryptionKeyId | Should -Be $keyId

        $back = @(Move-CtKeyRing -KeyStore File -Password $passphrase -Confirm:$false)
        $back[0].Details.old_value | Should -Be 'Keyring'
        (Invoke-CtSecretTool $Keyring lookup application CryptoTrader data-folder $DataHome).ExitCode | Should -Not -Be 0
        $keyFile | Should -Exist
        Reset-CtModuleSession
        Unlock-CtKeyStore -Password $passphrase
        (Test-CtApiKey -Exchange paper).IsValid | Should -BeTrue
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }

    It 'without a session bus: the automatic choice is the encrypted file, and -KeyStore Keyring says why it fails' {
        $saved = $env:DBUS_SESSION_BUS_ADDRESS
        Remove-Item Env:DBUS_SESSION_BUS_ADDRESS -ErrorAction Ignore
        try {
            $config = Get-CtConfig
            $config.KeyStoreInUse | Should -Be 'File'
            $config.KeyStoreReason | Should -Match 'DBUS_SESSION_BUS_ADDRESS is not set.*encrypted key file'
            $thrown = { Set-CtConfig -KeyStore Keyring } | Should -Throw -ErrorId 'KeyringUnavailable,*' -PassThru
            $thrown.Exception.Message | Should -Match 'no D-Bus session bus \(DBUS_SESSION_BUS_ADDRESS is not set\)'
            (Get-CtConfig).KeyStore | Should -Be 'Auto'
        }
        finally { $env:DBUS_SESSION_BUS_ADDRESS = $saved }
    }

    It 'with a locked keyring: the KeyringLocked error says how to unlock, nothing prompts, and Auto uses the file' {
        if ($Why) { Set-ItResult -Skipped -Because $Why; return }
        $locked = Start-CtTestKeyring
        try {
            # Service.Lock over D-Bus (secret-tool lock waits for a prompter); gnome-keyring locks without a prompt.
            $saved = $env:DBUS_SESSION_BUS_ADDRESS
            $env:DBUS_SESSION_BUS_ADDRESS = $locked.Address
            try {
                $reply = & dbus-send --session --print-reply --reply-timeout=5000 --dest=org.freedesktop.secrets /org/freedesktop/secrets `
                    org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/aliases/default 2>&1
                $LASTEXITCODE | Should -Be 0 -Because "$reply"
            }
            finally { $env:DBUS_SESSION_BUS_ADDRESS = $saved }
            $config = Get-CtConfig
            $config.KeyStoreInUse | Should -Be 'File'
            $config.KeyStoreReason | Should -Match 'locked'
            $thrown = { Set-CtConfig -KeyStore Keyring } | Should -Throw -ErrorId 'KeyringLocked,*' -PassThru
            $thrown.Exception.Message | Should -Match 'gnome-keyring-daemon --unlock'
        }
        finally { Stop-CtTestKeyring $locked }
    }
}

Describe 'The CryptoTrader.Keyring extension vault (through the SecretManagement stand-in)' {
    BeforeAll {
        $script:SavedHome = $env:HOME
        $script:SavedModulePath = $env:PSModulePath
        $env:PSModulePath = $env:CT_TEST_MODULES + [IO.Path]::PathSeparator + $env:PSModulePath
        $script:VaultModule = Join-Path (Get-CtModulePath) 'CryptoTrader.Keyring'
    }
    AfterAll {
        $env:HOME = $script:SavedHome
        $env:PSModulePath = $script:SavedModulePath
    }
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:HOME = Join-Path $DataHome 'profile'
        New-Item -ItemType Directory -Path $env:HOME | Out-Null
        if (-not $Why) {
            Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name OsKeyring -ModuleName $VaultModule
        }
    }
    AfterEach {
        if (-not $Why) { Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name OsKeyring -ErrorAction Ignore }
    }

    It 'registers, and Test-SecretVault says the keyring is usable' {
        if ($Why) { Set-ItResult -Skipped -Because $Why; return }
        (Microsoft.PowerShell.SecretManagement\Get-SecretVault -Name OsKeyring).ModuleName | Should -Be 'CryptoTrader.Keyring'
        Microsoft.PowerShell.SecretManagement\Test-SecretVault -Name OsKeyring | Should -BeTrue
    }

    It 'round-trips every secret type, lists them, keeps them in the OS keyring, and removes them' {
        if ($Why) { Set-ItResult -Skipped -Because $Why; return }
        $sm = 'Microsoft.PowerShell.SecretManagement'
        & "$sm\Set-Secret" -Vault OsKeyring -Name text -Secret 'plain "text" 2026-01-01'
        & "$sm\Set-Secret" -Vault OsKeyring -Name secure -SecureStringSecret (ConvertTo-TestSecureString 's3cret')
        & "$sm\Set-Secret" -Vault OsKeyring -Name bytes -Secret ([byte[]](0, 1, 2, 250, 255))
        & "$sm\Set-Secret" -Vault OsKeyring -Name cred -Secret ([pscredential]::new('alice', (ConvertTo-TestSecureString 'pw-alice')))
        & "$sm\Set-Secret" -Vault OsKeyring -Name table -Secret @{ a = 'one'; b = (ConvertTo-TestSecureString 'two'); c = [byte[]](3, 4); d = [pscredential]::new('bob', (ConvertTo-TestSecureString 'pw-bob')) }

        & "$sm\Get-Secret" -Vault OsKeyring -Name text -AsPlainText | Should -BeExactly 'plain "text" 2026-01-01'
        & "$sm\Get-Secret" -Vault OsKeyring -Name secure -AsPlainText | Should -BeExactly 's3cret'
        (& "$sm\Get-Secret" -Vault OsKeyring -Name secure) | Should -BeOfType [securestring]
        $bytes = & "$sm\Get-Secret" -Vault OsKeyring -Name bytes
        , $bytes | Should -BeOfType [byte[]]
        $bytes | Should -Be @(0, 1, 2, 250, 255)
        $cred = & "$sm\Get-Secret" -Vault OsKeyring -Name cred
        $cred | Should -BeOfType [pscredential]
        $cred.UserName | Should -Be 'alice'
        $cred.GetNetworkCredential().Password | Should -Be 'pw-alice'
        $table = & "$sm\Get-Secret" -Vault OsKeyring -Name table -AsPlainText
        $table | Should -BeOfType [hashtable]
        $table.a | Should -Be 'one'
        $table.b | Should -Be 'two'
        $table.c | Should -Be @(3, 4)
        $table.d.GetNetworkCredential().Password | Should -Be 'pw-bob'

        $info = @(& "$sm\Get-SecretInfo" -Vault OsKeyring)
        ($info.Name -join ',') | Should -Be 'bytes,cred,secure,table,text'
        ($info | Where-Object Name -eq 'cred').Type.ToString() | Should -Be 'PSCredential'
        ($info | Where-Object Name -eq 'table').Type.ToString() | Should -Be 'Hashtable'
        $info[0].GetType().FullName | Should -Be 'Microsoft.PowerShell.SecretManagement.SecretInformation'
        @(& "$sm\Get-SecretInfo" -Vault OsKeyring -Name 's*').Name | Should -Be 'secure'

        # Really in the daemon, found by the attributes that name the vault and the secret.
        $lookup = Invoke-CtSecretTool $Keyring lookup application CryptoTrader.Keyring vault OsKeyring name text
        $lookup.ExitCode | Should -Be 0
        ($lookup.Output | ConvertFrom-Json).value | Should -BeExactly 'plain "text" 2026-01-01'

        & "$sm\Set-Secret" -Vault OsKeyring -Name text -Secret 'replaced'
        & "$sm\Get-Secret" -Vault OsKeyring -Name text -AsPlainText | Should -BeExactly 'replaced'

        & "$sm\Remove-Secret" -Vault OsKeyring -Name text
        { & "$sm\Get-Secret" -Vault OsKeyring -Name text -ErrorAction Stop } | Should -Throw -ErrorId 'GetSecretNotFound,*'
        (Invoke-CtSecretTool $Keyring lookup application CryptoTrader.Keyring vault OsKeyring name text).ExitCode | Should -Be 1
        @(& "$sm\Get-SecretInfo" -Vault OsKeyring).Name | Should -Not -Contain 'text'
        foreach ($name in 'secure', 'bytes', 'cred', 'table') { & "$sm\Remove-Secret" -Vault OsKeyring -Name $name }
        @(& "$sm\Get-SecretInfo" -Vault OsKeyring).Count | Should -Be 0
    }

    It 'can hold CryptoTrader''s own key ring (-KeyStore SecretManagement -Vault OsKeyring)' {
        if ($Why) { Set-ItResult -Skipped -Because $Why; return }
        Set-CtConfig -KeyStore SecretManagement -Vault OsKeyring | Out-Null
        Set-CtApiKey -Exchange paper -ApiKey 'vault-key' -ApiSecret (ConvertTo-TestSecureString 'paper-secret-in-vault') | Out-Null
        Lock-CtKeyStore
        (Get-CtApiKey -Exchange paper).Fingerprint | Should -Match '^fp:'
        @(Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Vault OsKeyring -Name 'CryptoTrader.KeyRing.*').Count | Should -Be 1
    }
}
