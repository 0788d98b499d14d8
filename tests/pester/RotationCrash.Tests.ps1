# Invariant 6: key rotation is crash-safe. A child pwsh rotates in a loop and is killed (SIGKILL) at random
# moments; after every kill every stored API key must still decrypt and the audit log must verify.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
    $script:PassphraseText = 'a long enough test passphrase'
    $script:CredentialCount = 400

    $script:RotateLoop = @"
Import-Module '$(Get-CtModulePath)' -ErrorAction Stop
`$ErrorActionPreference = 'Stop'
Unlock-CtKeyStore -Password (ConvertTo-SecureString '$PassphraseText' -AsPlainText -Force) | Out-Null
[IO.File]::AppendAllText('PROGRESS_FILE', "READY``n")
while (`$true) {
    `$watch = [Diagnostics.Stopwatch]::StartNew()
    Update-CtEncryptionKey -Confirm:`$false | Out-Null
    [IO.File]::AppendAllText('PROGRESS_FILE', "ROTATED `$(`$watch.ElapsedMilliseconds)``n")
}
"@
}

AfterAll { Restore-CtTestSession $script:Saved }

Describe 'Update-CtEncryptionKey killed at random moments' {
    BeforeAll {
        $script:DataHome = New-CtTestHome
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString $PassphraseText) | Out-Null
        $secret = ConvertTo-TestSecureString 'crash-test-secret'
        foreach ($i in 1..$CredentialCount) {
            Set-CtApiKey -Exchange paper -Name ('c{0:d4}' -f $i) -ApiKey "AK-$i" -ApiSecret $secret | Out-Null
        }
        $script:Initial = @(Get-CtApiKey | ForEach-Object { "$($_.Exchange)/$($_.Name)/$($_.Fingerprint)" })
    }

    It 'stores the credentials to rotate' {
        $Initial.Count | Should -Be $CredentialCount
    }

    It 'leaves every API key decryptable and the audit log valid after each of many kills' {
        # Calibrate: how long the child needs to start and unlock, and how long one rotation takes.
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $child = Start-CtChildPwsh -Script $RotateLoop -DataHome $DataHome
        try {
            Wait-CtChildProgress $child 1 | Out-Null
            $startup = $watch.ElapsedMilliseconds
            $lines = Wait-CtChildProgress $child 4
            $rotations = $lines | Select-Object -Skip 1 | ForEach-Object { $_ | Should -Match '^ROTATED \d+$'; [int]($_ -split ' ')[1] }
        }
        finally { Stop-CtChild $child | Out-Null }
        $rotationMs = [Math]::Max(20, ($rotations | Measure-Object -Maximum).Maximum)
        Write-Host "    child start-up $startup ms, one rotation of $CredentialCount keys up to $rotationMs ms"

        $random = [Random]::new()
        $kills = [Collections.Generic.List[string]]::new()
        $budget = [Diagnostics.Stopwatch]::StartNew()
        while ($kills.Count -lt 8 -or ($kills.Count -lt 30 -and $budget.Elapsed.TotalSeconds -lt 60)) {
            $child = Start-CtChildPwsh -Script $RotateLoop -DataHome $DataHome
            try {
                Wait-CtChildProgress $child 1 | Out-Null
                # Anywhere within the next few rotations: before, during or after a ring save or a token batch.
                $delay = $random.Next(0, [int]($rotationMs * 3))
                Start-Sleep -Milliseconds $delay
            }
            finally { Stop-CtChild $child | Out-Null }
            $keyIds = @(Get-CtApiKey | Select-Object -ExpandProperty EncryptionKeyId -Unique)
            $kills.Add("$delay ms -> $($keyIds.Count) key id(s) in use")

            $checks = @(Test-CtApiKey -WarningVariable warned -WarningAction SilentlyContinue)
            $checks.Count | Should -Be $CredentialCount -Because "no credential may be lost (kill $($kills.Count) after $delay ms)"
            @($checks | Where-Object { -not $_.IsValid }).Count | Should -Be 0 -Because "every key decrypts after kill $($kills.Count) after $delay ms: $($warned | Select-Object -First 1)"
            $verification = Test-CtAuditLog
            $verification.IsValid | Should -BeTrue -Because "the audit log verifies after kill $($kills.Count): $verification"
        }
        Write-Host "    $($kills.Count) kills in $([int]$budget.Elapsed.TotalSeconds) s: $($kills -join '; ')"
        $kills.Count | Should -BeGreaterOrEqual 8
        @(Get-CtAuditLog -EventType ERROR).Count | Should -Be 0 -Because 'no kill may make a credential look tampered'
        $rotated = @(Get-CtAuditLog -EventType ENCRYPTION_KEY_ROTATED)
        Write-Host "    $($rotated.Count) completed rotations, $(@($rotated | Where-Object { $_.Details.resumed }).Count) of them resumed after a kill"
        $rotated.Count | Should -BeGreaterThan 3 -Because 'the kills must land among running rotations, not only during start-up'
    }

    It 'finishes with a final run: every credential under the primary key, none dropped' {
        $final = Update-CtEncryptionKey -Confirm:$false
        $final.EventType | Should -Be 'ENCRYPTION_KEY_ROTATED'
        $keys = @(Get-CtApiKey)
        $keys.Count | Should -Be $CredentialCount
        @($keys | ForEach-Object { "$($_.Exchange)/$($_.Name)/$($_.Fingerprint)" }) | Should -Be $Initial
        $keys.EncryptionKeyId | Select-Object -Unique | Should -Be $final.Details.new_key_id
        # A new credential is stored under the same primary.
        $probe = @(Set-CtApiKey -Exchange paper -Name probe -ApiKey 'AK-probe' -ApiSecret (ConvertTo-TestSecureString 'probe'))
        $probe[-1].Details.encryption_key_id | Should -Be $final.Details.new_key_id
        @(Test-CtApiKey | Where-Object IsValid).Count | Should -Be ($CredentialCount + 1)
        # Records sealed with every earlier key still verify after a fresh unlock: no key was dropped from the ring.
        Lock-CtKeyStore
        Unlock-CtKeyStore -Password (ConvertTo-TestSecureString $PassphraseText) | Out-Null
        $sealedWith = @(Get-CtAuditLog | Select-Object -ExpandProperty KeyId -Unique)
        $sealedWith.Count | Should -BeGreaterThan 3
        (Test-CtAuditLog).IsValid | Should -BeTrue
        @(Test-CtApiKey | Where-Object IsValid).Count | Should -Be ($CredentialCount + 1)
    }
}
