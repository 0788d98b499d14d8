# Issue 18: the key ring's lifecycle through real PowerShell. Unattended first setup of each store (also with a vault
# registered), Move-CtKeyRing between stores, Set-CtKeyFilePassword, the rules for new passphrases, the unlock timeout,
# Remove-Module forgetting the key ring, and KeyStoreLocked messages that name a command that works in the session.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
    $env:PSModulePath = $env:CT_TEST_MODULES + [IO.Path]::PathSeparator + $env:PSModulePath
    $script:PassphraseText = 'a long enough test passphrase'
    $script:Passphrase = ConvertTo-TestSecureString $PassphraseText

    # A new data folder with a profile of its own, where the test vault CtVault is registered as the default vault.
    function New-HomeWithVault {
        $dataHome = New-CtTestHome
        $env:HOME = Join-Path $dataHome 'profile'
        New-Item -ItemType Directory -Path $env:HOME -Force | Out-Null
        $script:VaultFile = Join-Path $env:HOME 'vault.json'
        Microsoft.PowerShell.SecretManagement\Register-SecretVault -Name CtVault -ModuleName (Join-Path $env:CT_TEST_MODULES 'CtTestVault') -VaultParameters @{ Path = $VaultFile } -DefaultVault
        return $dataHome
    }

    function Get-VaultRingNames { @(Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Vault CtVault -Name 'CryptoTrader.KeyRing.*' | ForEach-Object Name) }

    function Add-PaperKeys([int] $Count = 3) {
        foreach ($i in 1..$Count) {
            Set-CtApiKey -Exchange paper -Name "k$i" -ApiKey "AK-$i" -ApiSecret (ConvertTo-TestSecureString "secret-$i") | Out-Null
        }
    }

    # A data folder (with the vault registered) whose key ring is in the key file, with the store back on Auto and
    # $Keys paper credentials stored: where Move-CtKeyRing starts from.
    function New-HomeWithFileRing([int] $Keys) {
        $dataHome = New-HomeWithVault
        Set-CtConfig -KeyStore File -Password $Passphrase -Confirm:$false | Out-Null
        Set-CtConfig -KeyStore Auto -Confirm:$false | Out-Null
        Add-PaperKeys $Keys
        return $dataHome
    }

    function Assert-EverythingDecryptsAndVerifies([int] $Keys) {
        $checks = @(Test-CtApiKey)
        $checks.Count | Should -Be $Keys
        @($checks | Where-Object { -not $_.IsValid }) | Should -BeNullOrEmpty
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }
}

AfterAll {
    Restore-CtTestSession $script:Saved
}

Describe 'Unattended first setup of the key file with a SecretManagement vault registered' {
    BeforeEach { $script:DataHome = New-HomeWithVault }
    AfterEach { Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name CtVault -ErrorAction Ignore }

    It 'Unlock-CtKeyStore answers KeyStoreNotUnlockable and names Set-CtConfig -KeyStore File -Password' {
        $thrown = { Unlock-CtKeyStore -Password $Passphrase } | Should -Throw -ErrorId 'KeyStoreNotUnlockable,*' -PassThru
        $thrown.Exception.Message | Should -Match 'Set-CtConfig -KeyStore File -Password'
        Join-Path $DataHome 'keyring.key' | Should -Not -Exist
    }

    It 'Set-CtConfig -KeyStore File without -Password fails naming a command that works here, not Read-Host' {
        $thrown = { Set-CtConfig -KeyStore File } | Should -Throw -ErrorId 'KeyStoreLocked,*' -PassThru
        $thrown.Exception.Message | Should -Match 'Set-CtConfig -KeyStore File -Password <SecureString>'
        $thrown.Exception.Message | Should -Not -Match 'Read-Host'
        (Get-CtConfig).KeyStore | Should -Be 'Auto'
    }

    It 'Set-CtConfig -KeyStore File -Password pins and creates the key file in one call, with no prompt' {
        $records = @(Set-CtConfig -KeyStore File -Password $Passphrase -Confirm:$false)
        $records.EventType | Should -Be @('ENCRYPTION_KEY_CREATED', 'CONFIG_CHANGED')
        $records[0].Details.key_store | Should -Be 'File'
        $records[1].Details.new_value | Should -Be 'File'
        Join-Path $DataHome 'keyring.key' | Should -Exist
        (Get-CtConfig).KeyStoreInUse | Should -Be 'File'
        Get-VaultRingNames | Should -BeNullOrEmpty
        (Test-CtAuditLog).IsValid | Should -BeTrue
    }

    It 'unlocks an existing key file the same way, and a locked one names Unlock-CtKeyStore -Password' {
        Set-CtConfig -KeyStore File -Password $Passphrase -Confirm:$false | Out-Null
        Lock-CtKeyStore
        $thrown = { Set-CtConfig -AuditUserId 'locked' } | Should -Throw -ErrorId 'KeyStoreLocked,*' -PassThru
        $thrown.Exception.Message | Should -Match 'Unlock-CtKeyStore -Password <SecureString>'
        $thrown.Exception.Message | Should -Not -Match 'Read-Host'
        @(Set-CtConfig -KeyStore File -Password $Passphrase -AuditUserId 'unlocked' -Confirm:$false).EventType | Should -Be 'CONFIG_CHANGED'
        (Get-CtConfig).AuditUserId | Should -Be 'unlocked'
    }

    It 'refuses -Password with a store other than the key file' {
        { Set-CtConfig -KeyStore SecretManagement -Password $Passphrase } | Should -Throw -ErrorId 'PasswordNotApplicable,*'
        (Get-CtConfig).KeyStore | Should -Be 'Auto'
    }

    It 'sets up the vault store unattended too, and a switch to a store without the ring names Move-CtKeyRing' {
        @(Set-CtConfig -KeyStore SecretManagement -Vault CtVault -Confirm:$false).EventType | Should -Contain 'ENCRYPTION_KEY_CREATED'
        @(Get-VaultRingNames).Count | Should -Be 1
        $thrown = { Set-CtConfig -KeyStore File -Password $Passphrase -Confirm:$false } | Should -Throw -ErrorId 'KeyRingMissing,*' -PassThru
        $thrown.Exception.Message | Should -Match 'Move-CtKeyRing -KeyStore File'
        (Get-CtConfig).KeyStore | Should -Be 'SecretManagement'
    }
}

Describe 'Move-CtKeyRing' {
    BeforeEach {
        $script:DataHome = New-HomeWithFileRing 3
        $script:KeyFile = Join-Path $DataHome 'keyring.key'
    }
    AfterEach { Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name CtVault -ErrorAction Ignore }

    It 'moves the key ring from the key file into the vault and back, audited with both stores, deleting each old copy' {
        $ring = Get-Content $KeyFile -Raw
        $toVault = @(Move-CtKeyRing -KeyStore SecretManagement -Vault CtVault -Confirm:$false)
        $toVault.Count | Should -Be 1
        $toVault[0].EventType | Should -Be 'CONFIG_CHANGED'
        $toVault[0].Details.setting | Should -Be 'KeyStore'
        $toVault[0].Details.old_value | Should -Be 'File'
        $toVault[0].Details.new_value | Should -Be 'SecretManagement'
        $toVault[0].Details.old_location | Should -Be $KeyFile
        $toVault[0].Details.new_location | Should -Match "vault 'CtVault'"
        $KeyFile | Should -Not -Exist
        @(Get-VaultRingNames).Count | Should -Be 1
        (Get-CtConfig).KeyStoreInUse | Should -Be 'SecretManagement'
        (Get-CtConfig).Vault | Should -Be 'CtVault'

        # A new session (the module imported again, nothing in memory) opens the folder with the vault.
        Reset-CtModuleSession
        Assert-EverythingDecryptsAndVerifies 3

        $back = @(Move-CtKeyRing -KeyStore File -Password (ConvertTo-TestSecureString 'another long passphrase') -Confirm:$false)
        $back[0].Details.old_value | Should -Be 'SecretManagement'
        $back[0].Details.new_value | Should -Be 'File'
        Get-VaultRingNames | Should -BeNullOrEmpty
        $KeyFile | Should -Exist
        Reset-CtModuleSession
        { Test-CtApiKey } | Should -Throw -ErrorId 'KeyStoreLocked,*'
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'another long passphrase')
        Assert-EverythingDecryptsAndVerifies 3
        $ring | Should -Not -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-Content $KeyFile -Raw
        $count = @(Get-CtAuditLog).Count
        Move-CtKeyRing -KeyStore SecretManagement -WhatIf
        Get-Content $KeyFile -Raw | Should -Be $before
        Get-VaultRingNames | Should -BeNullOrEmpty
        @(Get-CtAuditLog).Count | Should -Be $count
        (Get-CtConfig).KeyStoreInUse | Should -Be 'File'
    }

    It 'leaves a store that holds another key ring alone: KeyStoreOccupied, nothing moved' {
        # Another data folder's key ring, in the secret this folder's ring would go to.
        $secretName = 'CryptoTrader.KeyRing.' + @(Invoke-CtRawSql "SELECT value FROM settings WHERE name = 'database_id';")[0]
        $mine = $env:CRYPTOTRADER_HOME
        New-CtTestHome | Out-Null
        Set-CtConfig -KeyStore SecretManagement -Vault CtVault -Confirm:$false | Out-Null
        $otherName = @(Get-VaultRingNames | Where-Object { $_ -ne $secretName })[0]
        $other = Microsoft.PowerShell.SecretManagement\Get-Secret -Vault CtVault -Name $otherName -AsPlainText
        $env:CRYPTOTRADER_HOME = $mine
        Microsoft.PowerShell.SecretManagement\Set-Secret -Vault CtVault -Name $secretName -Secret $other
        { Move-CtKeyRing -KeyStore SecretManagement -Confirm:$false } | Should -Throw -ErrorId 'KeyStoreOccupied,*'
        Microsoft.PowerShell.SecretManagement\Get-Secret -Vault CtVault -Name $secretName -AsPlainText | Should -Be $other
        $KeyFile | Should -Exist
        (Get-CtConfig).KeyStoreInUse | Should -Be 'File'
        Assert-EverythingDecryptsAndVerifies 3
    }

    It 'asks for -Password for a new key file in a non-interactive session, and refuses a weak one' {
        Move-CtKeyRing -KeyStore SecretManagement -Confirm:$false | Out-Null
        { Move-CtKeyRing -KeyStore File -Confirm:$false } | Should -Throw -ErrorId 'PassphraseRequired,*'
        { Move-CtKeyRing -KeyStore File -Password (ConvertTo-TestSecureString '12345678') -Confirm:$false } | Should -Throw -ErrorId 'WeakPassphrase,*'
        $KeyFile | Should -Not -Exist
        (Get-CtConfig).KeyStoreInUse | Should -Be 'SecretManagement'
        { Move-CtKeyRing -KeyStore Keyring -Password $Passphrase -Confirm:$false } | Should -Throw -ErrorId 'PasswordNotApplicable,*'
    }

    It 'finishes an interrupted move: run again, it deletes the old copy it left' {
        Move-CtKeyRing -KeyStore SecretManagement -Confirm:$false | Out-Null
        # What a kill between the switch and the delete leaves: the old key file and the note naming it.
        Invoke-CtRawSql "INSERT INTO settings (name, value) VALUES ('key_ring_moved_from', 'File');" | Out-Null
        Set-Content -Path $KeyFile -Value 'left over'
        Reset-CtModuleSession
        Move-CtKeyRing -KeyStore SecretManagement -Confirm:$false -Verbose 4>&1 | Out-String | Should -Match 'Deleted the copy'
        $KeyFile | Should -Not -Exist
        Invoke-CtRawSql "SELECT count(*) FROM settings WHERE name = 'key_ring_moved_from';" | Should -Be '0'
    }
}

Describe 'Move-CtKeyRing killed at random moments (kill -9)' {
    BeforeAll {
        $script:DataHome = New-HomeWithFileRing 5
        Lock-CtKeyStore
        $script:ChildEnvironment = @{ HOME = $env:HOME; PSModulePath = $env:PSModulePath }
        # CT_MOVE_KILLS (default 4: each round starts two child sessions) makes a longer run by hand.
        $script:Kills = if ($env:CT_MOVE_KILLS) { [int] $env:CT_MOVE_KILLS } else { 4 }
        # Moves to the other store, reporting each step it has finished.
        $script:MoveScript = @"
Import-Module '$(Get-CtModulePath)' -ErrorAction Stop
`$ErrorActionPreference = 'Stop'
`$password = ConvertTo-SecureString '$PassphraseText' -AsPlainText -Force
[IO.File]::AppendAllText('PROGRESS_FILE', "START``n")
`$inUse = (Get-CtConfig).KeyStoreInUse
if (`$inUse -eq 'File') { Unlock-CtKeyStore -Password `$password | Out-Null; Move-CtKeyRing -KeyStore SecretManagement -Vault CtVault -Confirm:`$false | Out-Null }
else { Move-CtKeyRing -KeyStore File -Password `$password -Confirm:`$false | Out-Null }
[IO.File]::AppendAllText('PROGRESS_FILE', "MOVED``n")
"@
        $script:CheckScript = @"
Import-Module '$(Get-CtModulePath)' -ErrorAction Stop
`$ErrorActionPreference = 'Stop'
`$inUse = (Get-CtConfig).KeyStoreInUse
if (`$inUse -eq 'File') { Unlock-CtKeyStore -Password (ConvertTo-SecureString '$PassphraseText' -AsPlainText -Force) | Out-Null }
`$bad = @(Test-CtApiKey | Where-Object { -not `$_.IsValid }).Count
"store=`$inUse keys=`$(@(Get-CtApiKey).Count) bad=`$bad chain=`$((Test-CtAuditLog).IsValid)"
"@
    }
    AfterAll { Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name CtVault -ErrorAction Ignore }

    It 'leaves a data folder that opens with one of the two stores after every kill' {
        # Calibrate: how long a child takes to start and to finish one move.
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $child = Start-CtChildPwsh -Script $MoveScript -DataHome $DataHome -Environment $ChildEnvironment -CaptureOutput
        Wait-CtChildProgress $child 1 | Out-Null
        $startup = $watch.ElapsedMilliseconds
        Wait-CtChildProgress $child 2 -TimeoutSeconds 120 | Out-Null
        $moveMs = [Math]::Max(50, $watch.ElapsedMilliseconds - $startup)
        Stop-CtChild $child | Out-Null
        Write-Host "    child start-up $startup ms, one move up to $moveMs ms"

        $random = [Random]::new()
        $outcomes = [Collections.Generic.List[string]]::new()
        foreach ($round in 1..$Kills) {
            $child = Start-CtChildPwsh -Script $MoveScript -DataHome $DataHome -Environment $ChildEnvironment -CaptureOutput
            Wait-CtChildProgress $child 1 | Out-Null
            Start-Sleep -Milliseconds ($random.Next(0, [int]($moveMs * 1.2)))
            $lines = Stop-CtChild $child
            $check = Invoke-CtChildPwsh -Script $CheckScript -Environment @{ CRYPTOTRADER_HOME = $DataHome; HOME = $env:HOME; PSModulePath = $env:PSModulePath }
            $check.ExitCode | Should -Be 0 -Because "after kill $round the folder must open: $($check.Output)"
            $check.Output | Should -Match 'store=(File|SecretManagement) keys=5 bad=0 chain=True'
            $outcomes.Add("$(if ($lines -contains 'MOVED') { 'after' } else { 'during' }):$(($check.Output -split ' ')[0])")
        }
        Write-Host "    kills: $($outcomes -join ', ')"
    }
}

Describe 'Set-CtKeyFilePassword and the rules for new passphrases' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        Add-PaperKeys 2
        $script:KeyFile = Join-Path $DataHome 'keyring.key'
    }

    It 'refuses weak new passphrases and creates nothing: <Case>' -ForEach @(
        @{ Case = 'eight digits'; Text = '12345678' }
        @{ Case = 'eight spaces'; Text = '        ' }
        @{ Case = 'one letter repeated'; Text = 'aaaaaaaaaaaaaaaa' }
        @{ Case = 'eleven characters'; Text = 'eleven char' }
    ) {
        New-CtTestHome | Out-Null
        $thrown = { Unlock-CtKeyStore -Password (ConvertTo-TestSecureString $Text) } | Should -Throw -ErrorId 'WeakPassphrase,*' -PassThru
        $thrown.Exception.Message | Should -Match '12'
        Join-Path $env:CRYPTOTRADER_HOME 'keyring.key' | Should -Not -Exist
    }

    It 'opens a new key file with the composed and the decomposed spelling of the same passphrase' {
        New-CtTestHome | Out-Null
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString "caf$([char]0x00E9) au lait, merci") | Out-Null
        Lock-CtKeyStore
        { Unlock-CtKeyStore -Password (ConvertTo-TestSecureString "cafe$([char]0x0301) au lait, merci") } | Should -Not -Throw
    }

    It 're-encrypts the key file under the new passphrase, audited; the old one stops working' {
        $before = Get-Content $KeyFile -Raw
        $records = @(Set-CtKeyFilePassword -Password $Passphrase -NewPassword (ConvertTo-TestSecureString 'the new long passphrase') -Confirm:$false)
        $records.Count | Should -Be 1
        $records[0].EventType | Should -Be 'CONFIG_CHANGED'
        $records[0].Details.setting | Should -Be 'KeyFilePassword'
        $records[0].Details.key_file | Should -Be $KeyFile
        Get-Content $KeyFile -Raw | Should -Not -Be $before
        Get-ChildItem $DataHome -Filter '*.tmp' -Force | Should -BeNullOrEmpty
        Lock-CtKeyStore
        { Unlock-CtKeyStore -Password $Passphrase } | Should -Throw -ErrorId 'WrongPassphrase,*'
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString 'the new long passphrase')
        Assert-EverythingDecryptsAndVerifies 2
    }

    It 'changes nothing when refused: <Case>' -ForEach @(
        @{ Case = 'wrong current passphrase'; Current = 'not the passphrase at all'; New = 'the new long passphrase'; ErrorId = 'WrongPassphrase' }
        @{ Case = 'weak new passphrase'; Current = 'a long enough test passphrase'; New = 'short'; ErrorId = 'WeakPassphrase' }
    ) {
        $before = Get-Content $KeyFile -Raw
        $count = @(Get-CtAuditLog).Count
        { Set-CtKeyFilePassword -Password (ConvertTo-TestSecureString $Current) -NewPassword (ConvertTo-TestSecureString $New) -Confirm:$false } |
            Should -Throw -ErrorId "$ErrorId,*"
        Get-Content $KeyFile -Raw | Should -Be $before
        @(Get-CtAuditLog).Count | Should -Be $count
    }

    It 'asks for both passphrases in a non-interactive session instead of prompting, and -WhatIf changes nothing' {
        { Set-CtKeyFilePassword -Confirm:$false } | Should -Throw -ErrorId 'PassphraseRequired,*'
        $before = Get-Content $KeyFile -Raw
        Set-CtKeyFilePassword -Password $Passphrase -NewPassword (ConvertTo-TestSecureString 'the new long passphrase') -WhatIf
        Get-Content $KeyFile -Raw | Should -Be $before
    }
}

Describe 'Forgetting the key ring: the unlock timeout and Remove-Module' {
    BeforeEach {
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
    }

    It 'Set-CtConfig -UnlockTimeout forgets the key ring that long after the unlock; Get-CtConfig shows it; Zero resets it' {
        (Get-CtConfig).UnlockTimeout | Should -BeNullOrEmpty
        $record = @(Set-CtConfig -UnlockTimeout (New-TimeSpan -Seconds 3) -Confirm:$false)
        $record[0].Details.setting | Should -Be 'UnlockTimeout'
        $record[0].Details.new_value | Should -Be '00:00:03'
        (Get-CtConfig).UnlockTimeout | Should -Be (New-TimeSpan -Seconds 3)
        Lock-CtKeyStore
        Unlock-CtKeyStore -Password $Passphrase
        { Set-CtConfig -AuditUserId 'in time' } | Should -Not -Throw
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        do {
            Start-Sleep -Milliseconds 500
            $locked = try { Test-CtAuditLog -ErrorAction Stop | Out-Null; $false } catch { $_.FullyQualifiedErrorId -like 'KeyStoreLocked,*' }
        } until ($locked -or [DateTime]::UtcNow -gt $deadline)
        $locked | Should -BeTrue
        Unlock-CtKeyStore -Password $Passphrase
        Set-CtConfig -UnlockTimeout ([TimeSpan]::Zero) -Confirm:$false | Out-Null
        (Get-CtConfig).UnlockTimeout | Should -BeNullOrEmpty
        { Set-CtConfig -UnlockTimeout (New-TimeSpan -Seconds -5) } | Should -Throw -ErrorId 'InvalidSetting,*'
    }

    It 'Remove-Module CryptoTrader forgets every unlocked key ring, also after Import-Module -Force' {
        $result = Invoke-CtChildPwsh -Environment @{ CRYPTOTRADER_HOME = $DataHome } -Script @"
Import-Module '$(Get-CtModulePath)' -ErrorAction Stop
Unlock-CtKeyStore -Password (ConvertTo-SecureString '$PassphraseText' -AsPlainText -Force) | Out-Null
Set-CtConfig -AuditUserId 'before' -ErrorAction Stop | Out-Null
Remove-Module CryptoTrader
Import-Module '$(Get-CtModulePath)' -Force -ErrorAction Stop
try { Set-CtConfig -AuditUserId 'after' -ErrorAction Stop | Out-Null; 'still unlocked' } catch { "error=`$(`$_.FullyQualifiedErrorId)" }
"@
        $result.Output | Should -Match 'error=KeyStoreLocked,'
        $result.Output | Should -Not -Match 'still unlocked'
    }
}

Describe 'Interactive prompts for a new passphrase (through a pseudo-terminal)' {
    BeforeAll {
        # tests/pester/tty/answer-prompts.py gives the child a pty, so PowerShell sees an interactive console and prompts;
        # it types each answer once its prompt has appeared.
        function Invoke-Interactive([string] $DataHome, [string[]] $Typed) {
            $file = Join-Path ([IO.Path]::GetTempPath()) ("ct-tty-" + [guid]::NewGuid().ToString('N') + '.ps1')
            Set-Content $file @"
Import-Module '$(Get-CtModulePath)'
try { Unlock-CtKeyStore -Confirm:`$false -ErrorAction Stop | Out-Null; 'RESULT created' } catch { "RESULT `$(`$_.FullyQualifiedErrorId)" }
"@
            $pwsh = @([Environment]::ProcessPath, $(if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -ne 'pwsh') { Join-Path $PSHOME 'pwsh.dll' })) -ne $null
            $saved = $env:CRYPTOTRADER_HOME
            $env:CRYPTOTRADER_HOME = $DataHome
            try {
                $output = & /usr/bin/python3 (Join-Path $PSScriptRoot 'tty/answer-prompts.py') "New passphrase for=$($Typed[0])" "Type it again to confirm=$($Typed[1])" -- @pwsh -NoProfile -File $file
                $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            }
            finally {
                $env:CRYPTOTRADER_HOME = $saved
                Remove-Item $file -ErrorAction Ignore
            }
            return ($output -join "`n")
        }
    }

    It 'asks twice and refuses two different passphrases (PassphrasesDiffer), creating nothing' {
        $dataHome = New-CtTestHome
        $output = Invoke-Interactive $dataHome @('first long passphrase', 'second long passphrase')
        $output | Should -Match 'Type it again to confirm'
        $output | Should -Match 'RESULT PassphrasesDiffer'
        $output | Should -Not -Match 'long passphrase' -Because 'a typed passphrase is never echoed'
        Join-Path $dataHome 'keyring.key' | Should -Not -Exist
    }

    It 'asks twice and creates the key file when both are the same' {
        $dataHome = New-CtTestHome
        $output = Invoke-Interactive $dataHome @('the same long passphrase', 'the same long passphrase')
        $output | Should -Match 'Type it again to confirm'
        $output | Should -Match 'RESULT created'
        $output | Should -Not -Match 'long passphrase' -Because 'a typed passphrase is never echoed'
        Join-Path $dataHome 'keyring.key' | Should -Exist
    }
}
