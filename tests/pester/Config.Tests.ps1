BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    $script:DevKey = New-CtTestFernetKey
}

AfterAll {
    Restore-CtTestSession $script:Saved
}

Describe 'Get-CtConfig' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
    }

    It 'shows every setting, named like the Set-CtConfig parameter, and the store in use with the reason' {
        $config = Get-CtConfig
        $config.PSObject.TypeNames[0] | Should -Be 'CryptoTrader.ConfigInfo'
        foreach ($parameter in 'KeyStore', 'Vault', 'AuditUserId') {
            (Get-Command Set-CtConfig).Parameters.Keys | Should -Contain $parameter
            $config.PSObject.Properties.Name | Should -Contain $parameter
        }
        $config.KeyStore | Should -Be 'Auto'
        $config.KeyStoreInUse | Should -Be 'File'
        $config.KeyStoreReason | Should -Match 'no SecretManagement vault'
        $config.DataPath | Should -Be $DataHome
        $config.DataPathSource | Should -Be 'CRYPTOTRADER_HOME'
        $config.EffectiveAuditUserId | Should -Be ([Environment]::UserName)
    }

    It 'says the environment store is in use, and why, when CRYPTOTRADER_MASTER_KEY is set' {
        $env:CRYPTOTRADER_MASTER_KEY = $DevKey
        $config = Get-CtConfig
        $config.KeyStoreInUse | Should -Be 'Environment'
        $config.KeyStoreReason | Should -Match 'CRYPTOTRADER_MASTER_KEY.*development only'
    }
}

Describe 'Set-CtConfig' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = $DevKey
    }

    It 'changes the audit user id and writes a CONFIG_CHANGED record to the pipeline and the log' {
        $records = @(Set-CtConfig -AuditUserId 'runbook-7' -WarningAction SilentlyContinue)
        (Get-CtConfig).AuditUserId | Should -Be 'runbook-7'
        $changes = @($records | Where-Object EventType -eq 'CONFIG_CHANGED')
        $changes.Count | Should -Be 1
        $changes[0].Details.setting | Should -Be 'AuditUserId'
        $changes[0].Details.new_value | Should -Be 'runbook-7'
        $logged = @(Get-CtAuditLog -EventType CONFIG_CHANGED)
        $logged.Count | Should -Be 1
        $logged[0].ChainHash | Should -Be $changes[0].ChainHash
    }

    It 'uses the configured audit user id in later records, and resets it with an empty string' {
        Set-CtConfig -AuditUserId 'alice' -WarningAction SilentlyContinue | Out-Null
        $next = @(Set-CtConfig -MaxApiKeyAgeDays 30 -WarningAction SilentlyContinue)
        $next[-1].UserId | Should -Be 'alice'
        Set-CtConfig -AuditUserId '' -WarningAction SilentlyContinue | Out-Null
        (Get-CtConfig).AuditUserId | Should -BeNullOrEmpty
        (Get-CtConfig).EffectiveAuditUserId | Should -Be ([Environment]::UserName)
    }

    It 'writes nothing and changes nothing with -WhatIf' {
        Set-CtConfig -AuditUserId 'before' -WarningAction SilentlyContinue | Out-Null
        $count = @(Get-CtAuditLog).Count
        Set-CtConfig -AuditUserId 'after' -WhatIf -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-CtConfig).AuditUserId | Should -Be 'before'
        @(Get-CtAuditLog).Count | Should -Be $count
    }

    It 'rejects an unknown key store kind and lists the valid ones' {
        { Set-CtConfig -KeyStore 'Floppy' } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,CryptoTrader.PowerShell.Commands.SetCtConfigCommand'
        $error[0].Exception.Message | Should -Match 'Auto, SecretManagement, File, Environment'
    }

    It 'rejects an invalid <Name> with InvalidSetting and leaves the settings as they were' -ForEach @(
        @{ Name = 'AuditUserId'; Value = "bad`u{0007}bell" }
        @{ Name = 'AuditUserId'; Value = '   ' }
        @{ Name = 'AuditUserId'; Value = ('x' * 129) }
        @{ Name = 'Vault'; Value = "nul`u{0000}inside" }
    ) {
        Set-CtConfig -AuditUserId 'kept' -WarningAction SilentlyContinue | Out-Null
        $before = @(Get-CtAuditLog).Count
        $parameters = @{ $Name = $Value }
        $thrown = { Set-CtConfig @parameters -WarningAction SilentlyContinue -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSetting,CryptoTrader.PowerShell.Commands.SetCtConfigCommand' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $thrown.TargetObject | Should -Be $Name
        (Get-CtConfig).AuditUserId | Should -Be 'kept'
        @(Get-CtAuditLog).Count | Should -Be $before
    }

    It 'refuses to switch to a store that lacks this database''s key ring, and changes nothing' {
        Set-CtConfig -AuditUserId 'pinned' -WarningAction SilentlyContinue | Out-Null
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY
        $thrown = { Set-CtConfig -KeyStore File } | Should -Throw -PassThru
        $thrown.FullyQualifiedErrorId | Should -Match '^(KeyStoreLocked|KeyRingMissing),'
        $env:CRYPTOTRADER_MASTER_KEY = $DevKey
        (Get-CtConfig).KeyStore | Should -Be 'Auto'
    }

    It 'refuses a store that holds another key ring (a wrong CRYPTOTRADER_MASTER_KEY) with KeyRingMismatch, and changes nothing' {
        $null = Set-CtApiKey -Exchange paper -ApiKey 'cfg-key' -ApiSecret (ConvertTo-TestSecureString 'cfg-secret') -Confirm:$false -WarningAction SilentlyContinue
        $before = @(Get-CtAuditLog).Count
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey

        $thrown = { Set-CtConfig -KeyStore Environment -AuditUserId 'someone' -WarningAction SilentlyContinue } | Should -Throw -PassThru
        $thrown.FullyQualifiedErrorId | Should -Match '^KeyRingMismatch,'
        $thrown.CategoryInfo.Category | Should -Be 'InvalidData'
        $thrown.Exception.Message | Should -Match 'Nothing was changed'

        $env:CRYPTOTRADER_MASTER_KEY = $DevKey
        (Get-CtConfig).KeyStore | Should -Be 'Auto'
        @(Get-CtAuditLog).Count | Should -Be $before
        (Test-CtApiKey -Exchange paper -WarningAction SilentlyContinue).IsValid | Should -BeTrue
    }
}
