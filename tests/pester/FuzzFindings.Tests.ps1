# Regression tests for cmdlet bugs that tests/pester/Fuzz.Tests.ps1 found: each input once, through the built module.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
}

Describe 'Inputs the cmdlet fuzz found' {
    BeforeAll {
        New-CtTestHome | Out-Null
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        $PSDefaultParameterValues['*-Ct*:WarningAction'] = 'SilentlyContinue'
        Set-CtApiKey paper 'fuzz-api-key' (ConvertTo-TestSecureString 'fuzz-api-secret') -Confirm:$false | Out-Null
    }
    AfterAll {
        Remove-Item Env:CRYPTOTRADER_MASTER_KEY, Env:CRYPTOTRADER_HOME -ErrorAction Ignore
        $PSDefaultParameterValues.Remove('*-Ct*:WarningAction')
    }

    It 'Export-CtAuditLog -Path <Label> is an ExportFailed error, not <Before>' -ForEach @(
        @{ Path = "a`0b.json"; Label = 'a<NUL>b.json'; Before = 'an unhandled ArgumentException (NUL in the path)' }
        @{ Path = 'Nope:\audit.json'; Label = 'Nope:\audit.json'; Before = "PowerShell's DriveNotFound" }
        @{ Path = 'Env:\CT_FUZZ_EXPORT'; Label = 'Env:\CT_FUZZ_EXPORT'; Before = 'a file named CT_FUZZ_EXPORT in the process folder' }
    ) {
        $failure = $null
        try { Export-CtAuditLog -Path $Path -Confirm:$false -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ExportFailed,*'
        Join-Path ([Environment]::CurrentDirectory) 'CT_FUZZ_EXPORT' | Should -Not -Exist
    }

    It '<Command> -Name with an invalid wildcard pattern is InvalidCredentialName, not a WildcardPatternException' -ForEach @(
        @{ Command = 'Get-CtApiKey' }, @{ Command = 'Get-CtPermission' }, @{ Command = 'Test-CtApiKey' }
    ) {
        $failure = $null
        try { & $Command -Name 'bot[1' -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidCredentialName,*'
    }
}
