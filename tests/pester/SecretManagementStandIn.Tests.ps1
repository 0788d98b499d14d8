#Requires -Version 7.4
# Checks the test stand-in Microsoft.PowerShell.SecretManagement (tests/modules) and the
# CtTestVault extension vault against the documented SecretManagement 1.1 contract.
# Set CT_SECRETMANAGEMENT_MODULE to another copy's folder (e.g. the real module, kept
# outside the repository) to run the same checks against it; see tests/modules/README.md.

BeforeAll {
    $script:Saved = @{ Home = $env:HOME; LocalAppData = $env:LOCALAPPDATA; ModulePath = $env:PSModulePath }
    $script:TestHome = Join-Path ([System.IO.Path]::GetTempPath()) "ct-sm-standin-$([guid]::NewGuid().ToString('N'))"
    $null = New-Item -ItemType Directory -Path $script:TestHome
    # The registry lives under HOME (LOCALAPPDATA on Windows): point both at a fresh folder.
    $env:HOME = $script:TestHome
    $env:LOCALAPPDATA = $script:TestHome
    $script:ModulesRoot = (Resolve-Path (Join-Path $PSScriptRoot '../modules')).Path
    $env:PSModulePath = $script:ModulesRoot + [System.IO.Path]::PathSeparator + $env:PSModulePath
    $script:StandInPath = Join-Path $script:ModulesRoot 'Microsoft.PowerShell.SecretManagement'
    $underTest = if ($env:CT_SECRETMANAGEMENT_MODULE) { $env:CT_SECRETMANAGEMENT_MODULE } else { $script:StandInPath }
    Import-Module $underTest -Force

    $script:RegistryFile = if ($IsWindows) {
        Join-Path $script:TestHome 'Microsoft/PowerShell/secretmanagement/secretvaultregistry/vaultinfo'
    }
    else {
        Join-Path $script:TestHome '.secretmanagement/secretvaultregistry/vaultinfo'
    }

    function Reset-Registry {
        # Through the commands, not by deleting the file: the real module caches the
        # registry and watches its folder, and cannot write once the folder is gone.
        foreach ($vault in @(Get-SecretVault)) { Unregister-SecretVault -Name $vault.Name }
    }

    function Register-TestVault {
        param([string] $Name = 'CtTestVault', [hashtable] $Extra = @{}, [switch] $DefaultVault)
        $parameters = @{ Path = Join-Path $TestDrive "$Name-$([guid]::NewGuid().ToString('N')).json" }
        foreach ($key in $Extra.Keys) { $parameters[$key] = $Extra[$key] }
        $splat = @{ ModuleName = 'CtTestVault'; Name = $Name; VaultParameters = $parameters }
        if ($DefaultVault) { $splat['DefaultVault'] = $true }
        Register-SecretVault @splat
        $parameters.Path
    }

    function ConvertTo-Plain([securestring] $Secure) { [System.Net.NetworkCredential]::new('', $Secure).Password }
}

AfterAll {
    Remove-Module Microsoft.PowerShell.SecretManagement -Force -ErrorAction Ignore
    $env:HOME = $script:Saved.Home
    $env:LOCALAPPDATA = $script:Saved.LocalAppData
    $env:PSModulePath = $script:Saved.ModulePath
    Remove-Item -LiteralPath $script:TestHome -Recurse -Force -ErrorAction Ignore
}

Describe 'Module surface' {
    It 'is the stand-in, version 1.1.2' -Skip:([bool]$env:CT_SECRETMANAGEMENT_MODULE) {
        $module = Get-Module Microsoft.PowerShell.SecretManagement
        $module.ModuleBase | Should -Be $script:StandInPath
        $module.Version | Should -Be ([version]'1.1.2')
    }

    It 'exports the real command names' {
        $module = Get-Module Microsoft.PowerShell.SecretManagement
        $expected = 'Get-Secret', 'Get-SecretInfo', 'Get-SecretVault', 'Register-SecretVault', 'Remove-Secret', 'Set-Secret',
        'Set-SecretInfo', 'Set-SecretVaultDefault', 'Test-SecretVault', 'Unlock-SecretVault', 'Unregister-SecretVault'
        @($module.ExportedCommands.Keys | Sort-Object) | Should -Be $expected
    }

    It 'has the documented parameter positions and sets' {
        $get = Get-Command Get-Secret
        $get.Parameters.Name.ParameterSets['NameParameterSet'].Position | Should -Be 0
        $get.Parameters.Vault.ParameterSets['NameParameterSet'].Position | Should -Be 1
        $set = Get-Command Set-Secret
        $set.ParameterSets.Name | Should -Contain 'ObjectParameterSet'
        $set.ParameterSets.Name | Should -Contain 'SecureStringParameterSet'
        $set.Parameters.ContainsKey('WhatIf') | Should -BeTrue
        (Get-Command Remove-Secret).Parameters.Vault.ParameterSets['NameParameterSet'].IsMandatory | Should -BeTrue
    }

    It 'defines SecretInformation and SecretType so vaults can build results' {
        $info = [Microsoft.PowerShell.SecretManagement.SecretInformation]::new('n', [Microsoft.PowerShell.SecretManagement.SecretType]::String, 'v')
        $info.Name | Should -Be 'n'
        $info.Metadata | Should -BeNullOrEmpty
        [enum]::GetNames([Microsoft.PowerShell.SecretManagement.SecretType]) |
            Should -Be @('Unknown', 'ByteArray', 'String', 'SecureString', 'PSCredential', 'Hashtable')
    }
}

Describe 'Vault registration' {
    BeforeEach { Reset-Registry }

    It 'persists registrations as JSON in the per-user registry file' {
        $path = Register-TestVault
        Test-Path -LiteralPath $script:RegistryFile | Should -BeTrue
        $registry = Get-Content -Raw $script:RegistryFile | ConvertFrom-Json -AsHashtable
        $registry.DefaultVaultName | Should -Be 'CtTestVault'
        $registry.Vaults.CtTestVault.ModuleName | Should -Be 'CtTestVault'
        $registry.Vaults.CtTestVault.VaultParameters.Path | Should -Be $path
    }

    It 'makes the first vault the default and reports vault information' {
        $path = Register-TestVault -Name First
        $null = Register-TestVault -Name Second
        $vaults = @(Get-SecretVault)
        $vaults.Count | Should -Be 2
        $vaults[0] | Should -BeOfType ([Microsoft.PowerShell.SecretManagement.SecretVaultInfo])
        $first = Get-SecretVault -Name First
        $first.IsDefault | Should -BeTrue
        $first.ModuleName | Should -Be 'CtTestVault'
        $first.ModulePath | Should -Be (Join-Path $script:ModulesRoot 'CtTestVault')
        $first.VaultParameters['Path'] | Should -Be $path
        (Get-SecretVault -Name Second).IsDefault | Should -BeFalse
    }

    It 'names the vault after the module when -Name is omitted, also for a path' {
        Register-SecretVault -ModuleName (Join-Path $script:ModulesRoot 'CtTestVault') -VaultParameters @{ Path = "$TestDrive/p.json" }
        (Get-SecretVault).Name | Should -Be 'CtTestVault'
    }

    It 'moves the default with -DefaultVault and Set-SecretVaultDefault' {
        $null = Register-TestVault -Name First
        $null = Register-TestVault -Name Second -DefaultVault
        (Get-SecretVault | Where-Object IsDefault).Name | Should -Be 'Second'
        Set-SecretVaultDefault -Name First
        (Get-SecretVault | Where-Object IsDefault).Name | Should -Be 'First'
        Set-SecretVaultDefault -ClearDefault
        Get-SecretVault | Where-Object IsDefault | Should -BeNullOrEmpty
        { Set-SecretVaultDefault -Name Missing } | Should -Throw -ErrorId 'VaultNotFound,*'
    }

    It 'refuses a used name unless -AllowClobber' {
        $null = Register-TestVault -Name Dup
        { Register-SecretVault -ModuleName CtTestVault -Name Dup -VaultParameters @{ Path = "$TestDrive/x.json" } } |
            Should -Throw -ErrorId 'RegisterSecretVaultInvalidVaultName,*'
        Register-SecretVault -ModuleName CtTestVault -Name Dup -VaultParameters @{ Path = "$TestDrive/x.json" } -AllowClobber
        (Get-SecretVault -Name Dup).VaultParameters['Path'] | Should -Be "$TestDrive/x.json"
    }

    It 'refuses a module without a valid <Name>.Extension nested module' {
        $bogus = Join-Path $TestDrive 'BogusVault'
        $null = New-Item -ItemType Directory -Path $bogus -Force
        Set-Content -Path "$bogus/BogusVault.psd1" -Value "@{ ModuleVersion = '1.0'; FunctionsToExport = @() }"
        { Register-SecretVault -ModuleName $bogus } | Should -Throw -ErrorId 'RegisterSecretVaultInvalidExtensionVault,*'
        Get-SecretVault | Should -BeNullOrEmpty
    }

    It 'refuses the reserved Verbose vault parameter' {
        { Register-SecretVault -ModuleName CtTestVault -VaultParameters @{ Verbose = $true } } |
            Should -Throw -ErrorId 'RegisterSecretVaultCommandCannotUseReservedName,*'
    }

    It 'unregisters a vault and clears it as default' {
        $null = Register-TestVault -Name Gone
        Unregister-SecretVault -Name Gone
        Get-SecretVault | Should -BeNullOrEmpty
        (Get-Content -Raw $script:RegistryFile | ConvertFrom-Json).DefaultVaultName | Should -Be ''
        Unregister-SecretVault -Name Gone -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'UnregisterSecretVaultObjectNotFound*'
    }

    It 'reports an unknown vault name from Get-SecretVault as an error' {
        Get-SecretVault -Name Nope -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GetSecretVaultNotFound*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'Test-SecretVault returns $true for a working vault' {
        $null = Register-TestVault
        Test-SecretVault -Name CtTestVault | Should -BeTrue
    }
}

Describe 'Secrets' {
    BeforeAll {
        Reset-Registry
        $script:VaultFile = Register-TestVault -Name Main
        $null = Register-TestVault -Name Other
    }

    It 'round-trips a string (-AsPlainText)' {
        Set-Secret -Name str -Secret 'plain value'
        Get-Secret -Name str -AsPlainText | Should -BeExactly 'plain value'
    }

    It 'returns a string secret as SecureString without -AsPlainText' {
        Set-Secret -Name str2 -Secret 'hidden'
        $secret = Get-Secret -Name str2
        $secret | Should -BeOfType ([securestring])
        ConvertTo-Plain $secret | Should -BeExactly 'hidden'
    }

    It 'round-trips a SecureString given by -SecureStringSecret' {
        Set-Secret -Name sec -SecureStringSecret (ConvertTo-SecureString 's3cret' -AsPlainText -Force)
        ConvertTo-Plain (Get-Secret -Name sec) | Should -BeExactly 's3cret'
        Get-Secret -Name sec -AsPlainText | Should -BeExactly 's3cret'
    }

    It 'round-trips a byte array as one byte[]' {
        $bytes = [byte[]](0, 1, 2, 254, 255)
        Set-Secret -Name bytes -Secret $bytes
        $back = Get-Secret -Name bytes
        , $back | Should -BeOfType ([byte[]])
        $back | Should -Be $bytes
    }

    It 'round-trips a PSCredential' {
        $credential = [pscredential]::new('api-user', (ConvertTo-SecureString 'pw!' -AsPlainText -Force))
        Set-Secret -Name cred -Secret $credential
        $back = Get-Secret -Name cred
        $back | Should -BeOfType ([pscredential])
        $back.UserName | Should -Be 'api-user'
        $back.GetNetworkCredential().Password | Should -BeExactly 'pw!'
    }

    It 'round-trips a Hashtable, converting string values like Get-Secret does' {
        Set-Secret -Name table -Secret @{ text = 'v1'; number = [byte[]](7, 8) }
        $plain = Get-Secret -Name table -AsPlainText
        $plain | Should -BeOfType ([hashtable])
        $plain.text | Should -BeExactly 'v1'
        $plain.number | Should -Be ([byte[]](7, 8))
        (Get-Secret -Name table).text | Should -BeOfType ([securestring])
    }

    It 'writes to the named vault with -Vault and reads from it with position 1' {
        Set-Secret -Name only-other -Secret 'x' -Vault Other
        Get-Secret only-other Other -AsPlainText | Should -Be 'x'
        Get-SecretInfo -Name only-other -Vault Main | Should -BeNullOrEmpty
    }

    It 'writes GetSecretNotFound (ObjectNotFound) for a missing secret' {
        Get-Secret -Name missing -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike '*GetSecretNotFound*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].Exception.Message | Should -Be 'The secret missing was not found.'
        { Get-Secret -Name missing -ErrorAction Stop } | Should -Throw -ErrorId 'GetSecretNotFound,*'
    }

    It 'stops with GetSecretVaultNotFound for an unknown -Vault' {
        { Get-Secret -Name str -Vault NoSuchVault } | Should -Throw -ErrorId 'GetSecretVaultNotFound,*'
    }

    It 'Get-SecretInfo returns SecretInformation objects with metadata and no secret value' {
        Set-Secret -Name info-a -Secret 'value-that-must-not-leak' -Metadata @{ purpose = 'test'; rank = 3 }
        $info = Get-SecretInfo -Name info-a
        $info | Should -BeOfType ([Microsoft.PowerShell.SecretManagement.SecretInformation])
        $info.Name | Should -Be 'info-a'
        $info.Type | Should -Be ([Microsoft.PowerShell.SecretManagement.SecretType]::String)
        $info.VaultName | Should -Be 'Main'
        $info.Metadata['purpose'] | Should -Be 'test'
        $info.Metadata['rank'] | Should -Be 3
        ($info.PSObject.Properties.Name | Sort-Object) | Should -Be @('Metadata', 'Name', 'Type', 'VaultName')
        ($info | Out-String) | Should -Not -Match 'value-that-must-not-leak'
    }

    It 'Get-SecretInfo filters by wildcard and reports each type' {
        Set-Secret -Name wc-one -Secret ([byte[]](1))
        Set-Secret -Name wc-two -Secret ([pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force)))
        $infos = @(Get-SecretInfo -Name 'wc-*' -Vault Main)
        $infos.Name | Should -Be @('wc-one', 'wc-two')
        $infos.Type | Should -Be @('ByteArray', 'PSCredential')
    }

    It 'Remove-Secret deletes the secret' {
        Set-Secret -Name doomed -Secret 'x'
        Remove-Secret -Name doomed -Vault Main
        Get-Secret -Name doomed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-SecretInfo -Name doomed | Should -BeNullOrEmpty
    }

    It '-NoClobber refuses to overwrite an existing secret' {
        Set-Secret -Name keep -Secret 'original'
        { Set-Secret -Name keep -Secret 'replacement' -NoClobber } |
            Should -Throw -ErrorId 'SetSecretCommandAlreadyExistsWithNoClobber,*'
        Get-Secret -Name keep -AsPlainText | Should -Be 'original'
        Set-Secret -Name fresh -Secret 'new' -NoClobber
        Get-Secret -Name fresh -AsPlainText | Should -Be 'new'
    }

    It 'copies a secret with its metadata into another vault with -SecretInfo' {
        Set-Secret -Name copied -Secret 'c' -Vault Main -Metadata @{ origin = 'main' }
        Get-SecretInfo -Name copied -Vault Main | Set-Secret -Vault Other
        Get-Secret -Name copied -Vault Other -AsPlainText | Should -Be 'c'
        (Get-SecretInfo -Name copied -Vault Other).Metadata['origin'] | Should -Be 'main'
    }

    It '-WhatIf writes nothing' {
        Set-Secret -Name whatif -Secret 'x' -WhatIf
        Get-SecretInfo -Name whatif | Should -BeNullOrEmpty
    }

    It 'works when called module-qualified' {
        Microsoft.PowerShell.SecretManagement\Set-Secret -Name qualified -Secret 'q'
        Microsoft.PowerShell.SecretManagement\Get-Secret -Name qualified -AsPlainText | Should -Be 'q'
    }

    It 'keeps the vault file private (0600)' -Skip:$IsWindows {
        (Get-Item -LiteralPath $script:VaultFile).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
    }
}

Describe 'Without a default vault' {
    BeforeAll {
        Reset-Registry
        $null = Register-TestVault -Name NoDefault
        Set-SecretVaultDefault -ClearDefault
    }

    It 'Set-Secret without -Vault fails with SetSecretCommandFailNoVault' {
        { Set-Secret -Name x -Secret 'y' } | Should -Throw -ErrorId 'SetSecretCommandFailNoVault,*'
    }

    It 'Get-Secret still searches every registered vault' {
        Set-Secret -Name found -Secret 'z' -Vault NoDefault
        Get-Secret -Name found -AsPlainText | Should -Be 'z'
    }
}

Describe 'Locked vault' {
    BeforeAll {
        Reset-Registry
        $null = Register-TestVault -Name Locked -Extra @{ Locked = $true; Password = 'open sesame' }
    }

    It 'surfaces the vault''s locked error instead of prompting' {
        Get-Secret -Name any -Vault Locked -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GetSecretInvalidOperation*'
        $failures[0].Exception.InnerException.Message | Should -Match 'locked'
        $failures[-1].FullyQualifiedErrorId | Should -BeLike 'GetSecretNotFound*'
        Test-SecretVault -Name Locked -ErrorAction SilentlyContinue | Should -BeFalse
    }

    It 'refuses a wrong password and opens with the right one' {
        Unlock-SecretVault -Name Locked -Password (ConvertTo-SecureString 'wrong' -AsPlainText -Force) -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'UnlockSecretVaultInvalidOperation*'
        { Set-Secret -Name after -Secret 'v' -Vault Locked -ErrorAction Stop } | Should -Throw

        Unlock-SecretVault -Name Locked -Password (ConvertTo-SecureString 'open sesame' -AsPlainText -Force)
        Set-Secret -Name after -Secret 'v' -Vault Locked
        Get-Secret -Name after -Vault Locked -AsPlainText | Should -Be 'v'
        Test-SecretVault -Name Locked | Should -BeTrue
    }
}

Describe 'Extension hosting' {
    BeforeAll {
        Reset-Registry
        # A probe vault whose Get-Secret reports what it can see from inside.
        $probe = Join-Path $TestDrive 'ProbeVault'
        $null = New-Item -ItemType Directory -Path "$probe/ProbeVault.Extension" -Force
        Set-Content "$probe/ProbeVault.psd1" "@{ ModuleVersion = '1.0'; NestedModules = @('./ProbeVault.Extension'); FunctionsToExport = @() }"
        Set-Content "$probe/ProbeVault.Extension/ProbeVault.Extension.psd1" @'
@{ ModuleVersion = '1.0'; RootModule = 'ProbeVault.Extension.psm1'
   FunctionsToExport = @('Get-Secret', 'Set-Secret', 'Remove-Secret', 'Get-SecretInfo', 'Test-SecretVault') }
'@
        Set-Content "$probe/ProbeVault.Extension/ProbeVault.Extension.psm1" @'
function Get-Secret {
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    switch ($Name) {
        'runspace' { [string][runspace]::DefaultRunspace.InstanceId }
        'caller-variable' { [string](Test-Path variable:global:CtCallerOnlyVariable) }
        'parameters' { "$VaultName|" + (($AdditionalParameters.Keys | Sort-Object) -join ',') }
        'password-required' { throw [Microsoft.PowerShell.SecretManagement.PasswordRequiredException]::new('password needed') }
        'non-terminating' { Write-Error -Message 'probe complaint' -ErrorId 'ProbeComplaint,*' }
    }
}
function Set-Secret { param([string] $Name, [object] $Secret, [string] $VaultName, [hashtable] $AdditionalParameters) }
function Remove-Secret { param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters) }
function Get-SecretInfo {
    param([string] $Filter, [string] $VaultName, [hashtable] $AdditionalParameters)
    if ($Filter -eq 'password-required') { throw [Microsoft.PowerShell.SecretManagement.PasswordRequiredException]::new('password needed') }
}
function Test-SecretVault { param([string] $VaultName, [hashtable] $AdditionalParameters) $true }
'@
        Register-SecretVault -ModuleName $probe -VaultParameters @{ Flavour = 'probe' }
    }

    It 'runs the extension in a runspace other than the caller''s' {
        $inside = Get-Secret -Name runspace -Vault ProbeVault -AsPlainText
        $inside | Should -Not -BeNullOrEmpty
        $inside | Should -Not -Be ([string][runspace]::DefaultRunspace.InstanceId)
    }

    It 'does not let the extension see the caller''s variables' {
        $global:CtCallerOnlyVariable = 'caller only'
        try {
            Get-Secret -Name caller-variable -Vault ProbeVault -AsPlainText | Should -Be 'False'
        }
        finally {
            Remove-Variable -Name CtCallerOnlyVariable -Scope Global
        }
    }

    It 'does not load the extension module into the caller''s session' {
        $null = Get-Secret -Name runspace -Vault ProbeVault
        Get-Module ProbeVault, ProbeVault.Extension | Should -BeNullOrEmpty
    }

    It 'passes -VaultName and -AdditionalParameters (VaultParameters plus Verbose)' {
        Get-Secret -Name parameters -Vault ProbeVault -AsPlainText | Should -Be 'ProbeVault|Flavour,Verbose'
    }

    It 'surfaces the extension''s own errors as errors of the caller''s cmdlet' {
        Get-Secret -Name non-terminating -Vault ProbeVault -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ProbeComplaint*'
        $failures[-1].FullyQualifiedErrorId | Should -BeLike 'GetSecretNotFound*'
    }

    It 'reports a PasswordRequiredException unwrapped, as GetSecretException' {
        Get-Secret -Name password-required -Vault ProbeVault -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GetSecretException,*'
        $failures[0].Exception | Should -BeOfType ([Microsoft.PowerShell.SecretManagement.PasswordRequiredException])
    }

    It 'stops Get-Secret when the default vault needs a password' {
        (Get-SecretVault -Name ProbeVault).IsDefault | Should -BeTrue
        { Get-Secret -Name password-required } |
            Should -Throw -ExceptionType ([Microsoft.PowerShell.SecretManagement.PasswordRequiredException])
    }

    It 'reports a vault needing a password from Get-SecretInfo without stopping' {
        Get-SecretInfo -Name password-required -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GetSecretInfoException,*'
    }
}
