# Key store faults while API keys exist: the vault missing or locked, the key ring secret deleted, a wrong
# passphrase, the key file deleted or damaged. Each gives a clear ErrorRecord; nothing generates a new key ring
# over the existing encrypted data, no stored data changes, and once the store is back every key decrypts.
# The vault is the SecretManagement stand-in (tests/modules) with its file-backed CtTestVault.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
    $script:Passphrase = ConvertTo-TestSecureString 'a long enough test passphrase'

    function Get-Hash([string] $Path) { (Get-FileHash -Algorithm SHA256 -Path $Path).Hash }

    function Add-Keys {
        foreach ($i in 1..3) { Set-CtApiKey -Exchange paper -Name "k$i" -ApiKey "AK-$i" -ApiSecret (ConvertTo-TestSecureString "secret-$i") | Out-Null }
        return @(Get-CtApiKey | ForEach-Object { "$($_.Name)/$($_.Fingerprint)" })
    }

    # What the database holds, read without the key ring.
    function Get-DatabaseState {
        [pscustomobject]@{
            Credentials = @(Invoke-CtRawSql 'SELECT exchange, name, hex(token), key_id FROM credentials ORDER BY name;')
            Records     = @(Invoke-CtRawSql 'SELECT count(*) FROM audit_log;')[0]
            Settings    = @(Invoke-CtRawSql "SELECT name, value FROM settings ORDER BY name;")
        }
    }

    # Each call fails with $ErrorId, and afterwards the database is exactly as before (no new key ring, no record).
    function Assert-RefusedWithoutChange([string] $ErrorId, [string] $MessagePattern) {
        $state = Get-DatabaseState
        foreach ($call in { Test-CtApiKey }, { Set-CtApiKey -Exchange paper -Name k9 -ApiKey 'AK-9' -ApiSecret (ConvertTo-TestSecureString 's9') },
            { Update-CtEncryptionKey -Confirm:$false }, { Set-CtConfig -AuditUserId 'someone' }) {
            $thrown = $call | Should -Throw -ErrorId "$ErrorId,*" -PassThru
            if ($MessagePattern) { $thrown.Exception.Message | Should -Match $MessagePattern }
        }
        $after = Get-DatabaseState
        $after.Credentials | Should -Be $state.Credentials
        $after.Records | Should -Be $state.Records
        $after.Settings | Should -Be $state.Settings
        # Listing needs no key ring: the credentials are all still there.
        @(Get-CtApiKey).Count | Should -Be 3
    }

    function Assert-AllDecrypt([string[]] $Keys) {
        @(Test-CtApiKey | Where-Object IsValid | ForEach-Object { "$($_.Name)/$($_.Fingerprint)" } | Sort-Object) | Should -Be @($Keys | Sort-Object)
        (Test-CtAuditLog).IsValid | Should -BeTrue
        @(Get-CtAuditLog -EventType ENCRYPTION_KEY_CREATED).Count | Should -Be 1 -Because 'the key ring was generated once, never again'
    }
}

AfterAll { Restore-CtTestSession $script:Saved }

Describe 'The SecretManagement vault fails while API keys exist' {
    BeforeAll {
        $script:SavedHome = $env:HOME
        $script:SavedModulePath = $env:PSModulePath
        $env:PSModulePath = $env:CT_TEST_MODULES + [IO.Path]::PathSeparator + $env:PSModulePath
        $script:DataHome = New-CtTestHome
        $env:HOME = Join-Path $DataHome 'profile'
        New-Item -ItemType Directory -Path $env:HOME | Out-Null
        $script:VaultFile = Join-Path $env:HOME 'vault.json'
        $script:VaultModule = Join-Path $env:CT_TEST_MODULES 'CtTestVault'
        function Register-TestVault([hashtable] $Extra = @{}) {
            Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name CtVault -ErrorAction Ignore
            Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name CtVault -ModuleName $VaultModule -VaultParameters (@{ Path = $VaultFile } + $Extra) -DefaultVault
        }
        Register-TestVault
        Set-CtConfig -KeyStore SecretManagement -Vault CtVault | Out-Null
        $script:Keys = Add-Keys
        (Get-CtConfig).KeyStoreInUse | Should -Be 'SecretManagement'
        $script:SecretName = @(Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Vault CtVault).Name
        $SecretName | Should -Match '^CryptoTrader\.KeyRing\.[0-9a-f]{32}$'
    }
    AfterAll {
        Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name CtVault -ErrorAction Ignore
        $env:HOME = $script:SavedHome
        $env:PSModulePath = $script:SavedModulePath
    }
    BeforeEach {
        $env:CRYPTOTRADER_HOME = $DataHome
        Register-TestVault
        Lock-CtKeyStore
    }

    It 'a vault that is no longer registered gives KeyStoreUnavailable naming it, and creates no key ring' {
        $vault = Get-Hash $VaultFile
        Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name CtVault
        Assert-RefusedWithoutChange 'KeyStoreUnavailable' "vault 'CtVault'.*Vault not found" 3>$null
        Get-Hash $VaultFile | Should -Be $vault
        Register-TestVault
        Assert-AllDecrypt $Keys
    }

    It 'a locked vault gives KeyStoreUnavailable naming Unlock-SecretVault, and works once unlocked' {
        $vault = Get-Hash $VaultFile
        Register-TestVault @{ Locked = $true; Password = 'vault-pw' }
        Remove-Item "$VaultFile.unlocked" -ErrorAction Ignore
        Assert-RefusedWithoutChange 'KeyStoreUnavailable' 'Unlock-SecretVault'
        Get-Hash $VaultFile | Should -Be $vault
        Microsoft.PowerShell.SecretManagement\Unlock-SecretVault -Name CtVault -Password (ConvertTo-TestSecureString 'vault-pw')
        Assert-AllDecrypt $Keys
        Remove-Item "$VaultFile.unlocked" -ErrorAction Ignore
    }

    It 'a deleted key ring secret gives KeyRingMissing; no new secret is generated; restoring it restores everything' {
        $saved = Microsoft.PowerShell.SecretManagement\Get-Secret -Vault CtVault -Name $SecretName -AsPlainText
        Microsoft.PowerShell.SecretManagement\Remove-Secret -Vault CtVault -Name $SecretName
        Assert-RefusedWithoutChange 'KeyRingMissing' ([regex]::Escape($SecretName))
        @(Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Vault CtVault).Count | Should -Be 0 -Because 'no key ring may be generated over existing data'
        Microsoft.PowerShell.SecretManagement\Set-Secret -Vault CtVault -Name $SecretName -Secret $saved
        Assert-AllDecrypt $Keys
    }
}

Describe 'The encrypted key file fails while API keys exist' {
    BeforeAll {
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        $script:Keys = Add-Keys
        $script:KeyFile = Join-Path $DataHome 'keyring.key'
        $script:Saved = "$KeyFile.saved"
        Copy-Item $KeyFile $Saved
    }
    BeforeEach {
        $env:CRYPTOTRADER_HOME = $DataHome
        Copy-Item $Saved $KeyFile -Force
        Lock-CtKeyStore
    }

    It 'a wrong passphrase gives WrongPassphrase and changes nothing; a locked store gives KeyStoreLocked' {
        $hash = Get-Hash $KeyFile
        $state = Get-DatabaseState
        $thrown = { Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'not the passphrase at all') -ErrorAction Stop } | Should -Throw -ErrorId 'WrongPassphrase,*' -PassThru
        "$($thrown.CategoryInfo.Category)" | Should -Be 'SecurityError'
        Assert-RefusedWithoutChange 'KeyStoreLocked' 'Unlock-CtKeyStore'
        Get-Hash $KeyFile | Should -Be $hash
        (Get-DatabaseState).Credentials | Should -Be $state.Credentials
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        Assert-AllDecrypt $Keys
    }

    It 'a deleted key file gives KeyRingMissing, even to Unlock-CtKeyStore, which creates no new key file' {
        Remove-Item $KeyFile
        $thrown = { Unlock-CtKeyStore -Password $Passphrase } | Should -Throw -ErrorId 'KeyRingMissing,*' -PassThru
        $thrown.Exception.Message | Should -Match 'not generated'
        $KeyFile | Should -Not -Exist
        Assert-RefusedWithoutChange 'KeyRingMissing' ([regex]::Escape($KeyFile))
        $KeyFile | Should -Not -Exist
        Copy-Item $Saved $KeyFile
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        Assert-AllDecrypt $Keys
    }

    It 'a damaged key file gives KeyFileCorrupt and is left as it is' {
        $text = Get-Content $KeyFile -Raw
        Set-Content -Path $KeyFile -Value $text.Substring(0, [int]($text.Length / 2)) -NoNewline
        $hash = Get-Hash $KeyFile
        { Unlock-CtKeyStore -Password $Passphrase } | Should -Throw -ErrorId 'KeyFileCorrupt,*'
        Get-Hash $KeyFile | Should -Be $hash
        @(Get-CtApiKey).Count | Should -Be 3
        Copy-Item $Saved $KeyFile -Force
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        Assert-AllDecrypt $Keys
    }
}
