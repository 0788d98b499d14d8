# Storage faults: a read-only database file, a data folder that cannot be written, a full disk, a database file
# truncated or overwritten with garbage, and a WAL file deleted. Each must give an ErrorRecord with a meaningful
# ErrorId, lose no committed data, and never silently replace the damaged database.
#
# The suite runs as root here, and root ignores permission bits: "read-only" is made with chattr +i (the
# immutable attribute stops root too) for the file, and with a read-only bind mount for the folder; the full disk
# is a 1 MiB tmpfs. Each test skips with the reason when the tool or the mount is not permitted, and removes the
# attribute or the mount in a finally block.
BeforeDiscovery {
    $script:IsRoot = $IsLinux -and ((& id -u) -eq '0')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
    $script:Passphrase = ConvertTo-TestSecureString 'a long enough test passphrase'

    # A data folder with three credentials and a few audit records; returns what must survive any fault.
    function New-PopulatedHome([string] $Path) {
        if ($Path) { $env:CRYPTOTRADER_HOME = $Path } else { New-CtTestHome | Out-Null }
        Lock-CtKeyStore
        Unlock-CtKeyStore -Password $Passphrase | Out-Null
        foreach ($i in 1..3) { Set-CtApiKey -Exchange paper -Name "k$i" -ApiKey "AK-$i" -ApiSecret (ConvertTo-TestSecureString "secret-$i") | Out-Null }
        Set-CtConfig -AuditUserId 'storage-faults' | Out-Null
        $verification = Test-CtAuditLog
        return [pscustomobject]@{
            Home         = $env:CRYPTOTRADER_HOME
            Database     = Join-Path $env:CRYPTOTRADER_HOME 'cryptotrader.db'
            Keys         = @(Get-CtApiKey | ForEach-Object { "$($_.Name)/$($_.Fingerprint)" })
            Head         = $verification.Head
            RecordCount  = $verification.RecordCount
        }
    }

    # Everything committed before the fault is still there: every key decrypts, the chain verifies and still holds the old head.
    function Assert-NothingLost($Before, [string[]] $AlsoKeys = @()) {
        $checks = @(Test-CtApiKey)
        @($checks | Where-Object IsValid | ForEach-Object { "$($_.Name)/$($_.Fingerprint)" } | Sort-Object) |
            Should -Be @(@($Before.Keys) + $AlsoKeys | Sort-Object)
        $verification = Test-CtAuditLog -ExpectedHead $Before.Head -WarningAction SilentlyContinue
        $verification.IsValid | Should -BeTrue -Because $verification.Reason
        $verification.RecordCount | Should -BeGreaterOrEqual $Before.RecordCount
    }

    function Get-Hash([string] $Path) { (Get-FileHash -Algorithm SHA256 -Path $Path).Hash }

    # The ErrorRecord a failing call produced (Should -Throw -PassThru), checked for a specific ErrorId and category.
    function Assert-Fails([scriptblock] $Call, [string] $ErrorId, [string] $Category) {
        $thrown = $Call | Should -Throw -ErrorId "$ErrorId,*" -PassThru
        if ($Category) { "$($thrown.CategoryInfo.Category)" | Should -Be $Category }
        $thrown.Exception.Message | Should -Not -Match 'cannot rollback|no transaction is active' -Because 'the cause must not be hidden behind a failed rollback'
        return $thrown
    }

    function Test-Command([string] $Name) { [bool](Get-Command $Name -CommandType Application -ErrorAction Ignore) }
}

AfterAll { Restore-CtTestSession $script:Saved }

Describe 'A read-only database file (chattr +i)' -Skip:(-not $IsRoot) {
    It 'refuses every change with AuditWriteFailed, still reads, and loses nothing' {
        if (-not (Test-Command chattr)) { Set-ItResult -Skipped -Because 'chattr (e2fsprogs) is not installed'; return }
        $before = New-PopulatedHome
        # A session that already has the file open keeps its open handle: the fault is what a session opening it meets.
        Reset-CtModuleSession -UnlockWith $Passphrase
        chattr +i $before.Database 2>$null
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because "this file system does not support the immutable attribute (chattr +i failed)"; return }
        try {
            $hash = Get-Hash $before.Database
            $thrown = Assert-Fails { Set-CtApiKey -Exchange paper -Name k4 -ApiKey 'AK-4' -ApiSecret (ConvertTo-TestSecureString 's4') } 'AuditWriteFailed' 'WriteError'
            $thrown.Exception.Message | Should -Match 'readonly|read-only'
            $thrown.Exception.Message | Should -Match 'not performed'
            Assert-Fails { Set-CtConfig -AuditUserId 'other' } 'AuditWriteFailed' 'WriteError' | Out-Null
            $rotation = { Update-CtEncryptionKey -Confirm:$false } | Should -Throw -PassThru
            # Rotation saves the new key ring first (the key file is writable), then fails at its first database write.
            $rotation.FullyQualifiedErrorId | Should -Match '^(AuditWriteFailed|DatabaseUnavailable),' -Because $rotation.Exception.Message
            $rotation.Exception.Message | Should -Match 'readonly|read-only'
            # Reads still work on a database that cannot be written.
            @(Get-CtApiKey).Count | Should -Be 3
            Assert-NothingLost $before
            Get-Hash $before.Database | Should -Be $hash
        }
        finally { chattr -i $before.Database }
        # The same session writes again once the file is writable: its read-only connection was not kept.
        (Get-CtConfig).AuditUserId | Should -Be 'storage-faults'
        Set-CtApiKey -Exchange paper -Name k4 -ApiKey 'AK-4' -ApiSecret (ConvertTo-TestSecureString 's4') | Out-Null
        Assert-NothingLost $before -AlsoKeys "k4/$((Get-CtApiKey -Exchange paper -Name k4).Fingerprint)"
    }
}

Describe 'A data folder that cannot be written (read-only bind mount)' -Skip:(-not $IsRoot) {
    It 'fails with DataFolderUnavailable, changes no file, and loses nothing' {
        $before = New-PopulatedHome
        # Closes this session's connections (checkpointing the WAL), so the folder is at rest before the fault.
        Reset-CtModuleSession -UnlockWith $Passphrase
        $hashes = @{}
        Get-ChildItem -File $before.Home | ForEach-Object { $hashes[$_.Name] = Get-Hash $_.FullName }
        mount --bind $before.Home $before.Home 2>$null
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'mount --bind is not permitted here (needs root or CAP_SYS_ADMIN)'; return }
        try {
            mount -o 'remount,ro,bind' $before.Home 2>$null
            if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'a read-only remount of a bind mount is not permitted here'; return }
            $thrown = Assert-Fails { Set-CtApiKey -Exchange paper -Name k4 -ApiKey 'AK-4' -ApiSecret (ConvertTo-TestSecureString 's4') } 'DataFolderUnavailable' 'ResourceUnavailable'
            $thrown.Exception.Message | Should -Match ([regex]::Escape($before.Home))
            $thrown.Exception.Message | Should -Match 'Read-only file system'
            Assert-Fails { Set-CtConfig -AuditUserId 'other' } 'DataFolderUnavailable' 'ResourceUnavailable' | Out-Null
            Assert-Fails { Test-CtAuditLog } 'DataFolderUnavailable' 'ResourceUnavailable' | Out-Null
        }
        finally { umount $before.Home }
        Get-ChildItem -File $before.Home | ForEach-Object { Get-Hash $_.FullName | Should -Be $hashes[$_.Name] -Because "$($_.Name) is unchanged" }
        Assert-NothingLost $before
    }
}

Describe 'A full disk (1 MiB tmpfs)' -Skip:(-not $IsRoot) {
    BeforeAll {
        $script:Mount = Join-Path (Get-PSDrive TestDrive).Root 'tiny'
        New-Item -ItemType Directory -Path $Mount | Out-Null
        mount -t tmpfs -o 'size=1m,mode=0700' tmpfs $Mount 2>$null
        $script:Mounted = $LASTEXITCODE -eq 0
    }
    AfterAll {
        # The session's pooled connections hold files on the tmpfs until they are closed.
        Reset-CtModuleSession -UnlockWith $Passphrase
        if ($Mounted) { umount $Mount }
    }

    It 'refuses the change that does not fit with AuditWriteFailed, keeps everything before it, and works again once there is space' {
        if (-not $Mounted) { Set-ItResult -Skipped -Because 'mount -t tmpfs is not permitted here (needs root or CAP_SYS_ADMIN)'; return }
        $before = New-PopulatedHome (Join-Path $Mount 'home')
        # Ballast to free later: the disk is then full of the database and this file.
        $ballast = Join-Path $Mount 'ballast'
        [IO.File]::WriteAllBytes($ballast, [byte[]]::new(300KB))
        $big = ConvertTo-TestSecureString ('s' * 12000)
        $stored = [Collections.Generic.List[string]]::new()
        $failure = $null
        foreach ($i in 1..200) {
            try {
                Set-CtApiKey -Exchange paper -Name "big$i" -ApiKey "AK-big-$i" -ApiSecret $big -ErrorAction Stop | Out-Null
                $stored.Add("big$i")
            }
            catch { $failure = $_; break }
        }
        $failure | Should -Not -BeNullOrEmpty -Because 'the disk must fill up'
        $failure.FullyQualifiedErrorId | Should -BeLike 'AuditWriteFailed,*' -Because "$($failure.Exception.Message)"
        "$($failure.CategoryInfo.Category)" | Should -Be 'WriteError'
        $failure.Exception.Message | Should -Match 'full'
        $failure.Exception.Message | Should -Not -Match 'cannot rollback'
        $stored.Count | Should -BeGreaterThan 5

        # A rotation on the full disk fails cleanly too (before or after saving the new key ring); nothing is lost.
        $rotation = { Update-CtEncryptionKey -Confirm:$false } | Should -Throw -PassThru
        $rotation.FullyQualifiedErrorId | Should -Match '^(AuditWriteFailed|KeyStoreUnavailable|DatabaseUnavailable),' -Because $rotation.Exception.Message
        $rotation.Exception.Message | Should -Not -Match 'cannot rollback'

        $keys = @(Get-CtApiKey | Where-Object Name -Like 'big*' | ForEach-Object { "$($_.Name)/$($_.Fingerprint)" })
        @($keys | ForEach-Object { ($_ -split '/')[0] } | Sort-Object) | Should -Be @($stored | Sort-Object) -Because 'the refused key was not stored, every reported one was'
        Assert-NothingLost $before -AlsoKeys $keys
        @(Get-CtAuditLog -EventType API_KEY_CHANGED).Count | Should -Be (3 + $stored.Count)

        Remove-Item $ballast
        Set-CtApiKey -Exchange paper -Name after -ApiKey 'AK-after' -ApiSecret (ConvertTo-TestSecureString 'after') | Out-Null
        Set-CtConfig -AuditUserId 'after-full' | Out-Null
        @(Test-CtApiKey | Where-Object IsValid).Count | Should -Be (4 + $stored.Count)
        (Test-CtAuditLog -ExpectedHead $before.Head).IsValid | Should -BeTrue
    }
}

Describe 'A database file truncated or overwritten with garbage' {
    BeforeAll {
        $script:Before = New-PopulatedHome
        $script:Backup = "$($Before.Database).backup"
        # Closing the session's connections checkpoints the WAL into the file, so the copy holds everything.
        Reset-CtModuleSession -UnlockWith $Passphrase
        Copy-Item $Before.Database $Backup
        Join-Path $Before.Home 'cryptotrader.db-wal' | Should -Not -Exist -Because 'the backup must hold everything (checkpointed on close)'
    }
    BeforeEach {
        # Each case is what a session that opens the damaged file meets.
        Reset-CtModuleSession -UnlockWith $Passphrase
    }
    AfterEach {
        $env:CRYPTOTRADER_HOME = $Before.Home
        Reset-CtModuleSession -UnlockWith $Passphrase
        Copy-Item $Backup $Before.Database -Force
        Remove-Item "$($Before.Database)-wal", "$($Before.Database)-shm" -ErrorAction Ignore
    }

    It 'refuses a database truncated to <Length> bytes with DatabaseCorrupt and leaves the file as it is' -ForEach @(
        @{ Length = '0' }, @{ Length = '100' }, @{ Length = '4096' }, @{ Length = 'half its' }
    ) {
        $size = (Get-Item $Before.Database).Length
        $keep = if ($Length -eq 'half its') { [long]($size / 2) } else { [long] $Length }
        $stream = [IO.File]::Open($Before.Database, 'Open')
        try { $stream.SetLength($keep) } finally { $stream.Dispose() }
        $hash = Get-Hash $Before.Database
        $keyFile = Get-Hash (Join-Path $Before.Home 'keyring.key')

        foreach ($call in { Get-CtApiKey }, { Set-CtApiKey -Exchange paper -Name k9 -ApiKey 'AK-9' -ApiSecret (ConvertTo-TestSecureString 's9') },
            { Set-CtConfig -AuditUserId 'other' }, { Test-CtAuditLog }, { Unlock-CtKeyStore -Password $Passphrase }) {
            $thrown = Assert-Fails $call 'DatabaseCorrupt' 'InvalidData'
            $thrown.Exception.Message | Should -Match ([regex]::Escape($Before.Database))
            $thrown.Exception.Message | Should -Match 'backup'
        }
        (Get-Item $Before.Database).Length | Should -Be $keep -Because 'nothing may be created over the damaged database'
        Get-Hash $Before.Database | Should -Be $hash
        Get-Hash (Join-Path $Before.Home 'keyring.key') | Should -Be $keyFile -Because 'no new key ring may be generated'

        Copy-Item $Backup $Before.Database -Force
        Assert-NothingLost $Before
    }

    It 'refuses a database overwritten with garbage (<Kind>) with DatabaseCorrupt and leaves it as it is' -ForEach @(
        @{ Kind = 'random bytes' }, @{ Kind = 'random bytes after a SQLite header' }
    ) {
        $garbage = [Security.Cryptography.RandomNumberGenerator]::GetBytes(64KB)
        if ($Kind -like '*header*') { [Text.Encoding]::ASCII.GetBytes("SQLite format 3`0").CopyTo($garbage, 0) }
        [IO.File]::WriteAllBytes($Before.Database, $garbage)
        $hash = Get-Hash $Before.Database
        foreach ($call in { Get-CtApiKey }, { Set-CtConfig -AuditUserId 'other' }, { Test-CtAuditLog }) {
            Assert-Fails $call 'DatabaseCorrupt' 'InvalidData' | Out-Null
        }
        Get-Hash $Before.Database | Should -Be $hash
        Copy-Item $Backup $Before.Database -Force
        Assert-NothingLost $Before
    }

    It 'refuses a deleted database with DatabaseMissing while audit.head shows it had records, and creates none' {
        Remove-Item $Before.Database
        foreach ($call in { Get-CtApiKey }, { Set-CtConfig -AuditUserId 'other' }, { Unlock-CtKeyStore -Password $Passphrase }) {
            $thrown = Assert-Fails $call 'DatabaseMissing' 'ObjectNotFound'
            $thrown.Exception.Message | Should -Match 'audit\.head'
        }
        $Before.Database | Should -Not -Exist
        Copy-Item $Backup $Before.Database
        Assert-NothingLost $Before
    }
}

Describe 'A WAL file deleted while it holds committed, un-checkpointed transactions' {
    BeforeAll {
        # A child session that holds the database open in the middle of a read (Get-CtAuditLog streaming), so
        # that later commits stay in the WAL: SQLite checkpoints them only when the last connection closes.
        $script:HolderScript = @"
Import-Module '$(Get-CtModulePath)' -ErrorAction Stop
Unlock-CtKeyStore -Password (ConvertTo-SecureString 'a long enough test passphrase' -AsPlainText -Force) | Out-Null
Get-CtAuditLog | Select-Object -First 1 | ForEach-Object {
    [IO.File]::AppendAllText('PROGRESS_FILE', "HOLDING``n")
    while (-not (Test-Path 'PROGRESS_FILE.go')) { Start-Sleep -Milliseconds 10 }
}
[IO.File]::AppendAllText('PROGRESS_FILE', "CLOSED``n")
"@
        function Add-KeysWhileHeld($Before) {
            $holder = Start-CtChildPwsh -Script $HolderScript -DataHome $Before.Home -CaptureOutput
            Wait-CtChildProgress $holder 1 | Out-Null
            $added = foreach ($i in 4, 5) {
                Set-CtApiKey -Exchange paper -Name "k$i" -ApiKey "AK-$i" -ApiSecret (ConvertTo-TestSecureString "secret-$i") | Out-Null
                "k$i/$((Get-CtApiKey -Exchange paper -Name "k$i").Fingerprint)"
            }
            $wal = "$($Before.Database)-wal"
            (Get-Item $wal).Length | Should -BeGreaterThan 0 -Because 'the new credentials are committed in the WAL, not yet in the database file'
            return $holder, $added
        }
    }

    It 'refuses to work on the database while the holder lives, then loses nothing once the holder closes normally' {
        $before = New-PopulatedHome
        $holder, $added = Add-KeysWhileHeld $before
        try {
            # This session's own connection is closed too (not the last one: nothing is checkpointed), so that only
            # the holder has the WAL open; the commands below open the database as another session would.
            Reset-CtModuleSession -UnlockWith $Passphrase
            Remove-Item "$($before.Database)-wal"
            # Another session cannot read pages whose newest version was in the deleted WAL: a clear error, no write.
            foreach ($call in { Set-CtApiKey -Exchange paper -Name k6 -ApiKey 'AK-6' -ApiSecret (ConvertTo-TestSecureString 's6') }, { Test-CtApiKey }) {
                $thrown = Assert-Fails $call 'DatabaseUnavailable' 'ResourceUnavailable'
                $thrown.Exception.Message | Should -Match 'I/O error'
            }
            New-Item -ItemType File -Path "$($holder.Progress).go" | Out-Null
            Wait-CtChildProgress $holder 2 | Out-Null
            $holder.WaitForExit(30000) | Should -BeTrue
            $holder.ExitCode | Should -Be 0 -Because (Get-Content $holder.StderrFile -Raw)
        }
        finally { Stop-CtChild $holder | Out-Null }
        # The holder still had the WAL open: closing it, as the last connection, copied those transactions into the database.
        Assert-NothingLost $before -AlsoKeys $added
        @(Get-CtApiKey -Exchange paper -Name k6 -ErrorAction Ignore).Count | Should -Be 0 -Because 'the refused change did not happen'
        (Test-CtAuditLog).RecordCount | Should -Be ($before.RecordCount + 2)
    }

    It 'cannot keep transactions that only a deleted WAL held once no process has it open, but reports the loss and invents no key ring' {
        # The honest limit: after the last process with the WAL open is killed, deleting the WAL deletes committed
        # transactions; no SQLite application can get them back. What must hold: the older data is intact and usable,
        # Test-CtAuditLog reports records cut off (audit.head, outside the database, is ahead of it), no new key ring.
        $before = New-PopulatedHome
        # The populated state at rest (checkpointed, as when its session ended): a session keeps its connection
        # pooled, so without this everything it committed would still be in the WAL, and lost with it.
        Reset-CtModuleSession -UnlockWith $Passphrase
        $holder, $added = Add-KeysWhileHeld $before
        # This session closes its connection first (the holder still has the database open, so nothing is checkpointed).
        Reset-CtModuleSession -UnlockWith $Passphrase
        Stop-CtChild $holder | Out-Null
        # The holder's new keys moved the rollback anchor kept in the key file: its state from here on must stay.
        $keyFile = Get-Hash (Join-Path $before.Home 'keyring.key')
        Remove-Item "$($before.Database)-wal"

        $checks = @(Test-CtApiKey)
        @($checks | Where-Object IsValid | ForEach-Object { "$($_.Name)/$($_.Fingerprint)" } | Sort-Object) | Should -Be @($before.Keys | Sort-Object)
        $verification = Test-CtAuditLog -WarningAction SilentlyContinue
        $verification.IsValid | Should -BeFalse -Because 'the lost records must be reported'
        $verification.Reason | Should -Match 'cut off|put back from earlier'
        Get-Hash (Join-Path $before.Home 'keyring.key') | Should -Be $keyFile
    }
}
