# Every exported cmdlet has full help: the lists of cmdlets and parameters come from the module itself,
# so a cmdlet or parameter added without documentation fails here (and already in the build).
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:CmdletCases = @((Get-Module CryptoTrader).ExportedCmdlets.Values | Sort-Object Name | ForEach-Object {
        $command = $_
        @{
            Name       = $command.Name
            Parameters = @($command.Parameters.Keys | Where-Object {
                    $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters -and
                    $_ -notin [System.Management.Automation.Cmdlet]::OptionalCommonParameters })
        }
    })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
}

Describe 'Help of <Name>' -ForEach $CmdletCases {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
    }

    It 'has a synopsis, not the generated syntax stub' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis.Trim() | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)"
    }

    It 'has a description' {
        ($Help.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code and an explanation or output' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code.Trim() | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "example '$($example.title)' needs an explanation"
        }
    }

    It 'describes parameter -<_>' -ForEach $Parameters {
        $parameter = @($Help.parameters.parameter | Where-Object name -eq $_)
        $parameter.Count | Should -Be 1 -Because "Get-Help $Name must list -$_"
        ($parameter[0].description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'names its inputs and outputs' {
        @($Help.inputTypes.inputType).Count | Should -BeGreaterThan 0
        ($Help.inputTypes.inputType.type.name -join '').Trim() | Should -Not -BeNullOrEmpty
        @($Help.returnValues.returnValue).Count | Should -BeGreaterThan 0
        ($Help.returnValues.returnValue.type.name -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has a syntax item for every parameter set' {
        @($Help.syntax.syntaxItem).Count | Should -Be @((Get-Command $Name).ParameterSets).Count
    }
}

Describe 'About topics' {
    It '<Topic> is found by Get-Help and covers <Words>' -ForEach @(
        @{ Topic = 'about_CryptoTrader'; Words = @('QUICK START', 'KEY STORES', 'PERMISSION MODEL', 'AUDIT FORMAT') }
        @{ Topic = 'about_CryptoTrader_Runbooks'; Words = @('Unlock-CtKeyStore -Password', '-Confirm:$false', 'ErrorId', 'Pester', '-ExpectedHead') }
    ) {
        $text = Get-Help $Topic | Out-String
        foreach ($word in $Words) { $text | Should -Match ([regex]::Escape($word)) }
    }
}

Describe 'New-MamlHelp.ps1' {
    BeforeAll {
        $script:Generator = Join-Path $PSScriptRoot '../../build/New-MamlHelp.ps1'
        $script:Docs = Join-Path $PSScriptRoot '../../docs/cmdlets'
    }

    It 'fails naming the file and section when a parameter is not described' {
        $copy = Join-Path $TestDrive 'docs-param'
        Copy-Item $Docs $copy -Recurse
        $file = Join-Path $copy 'Set-CtApiKey.md'
        (Get-Content $file -Raw) -replace '(?s)### -ApiSecret.*?(?=### -Credential)', '' | Set-Content $file
        { & $Generator -DocsPath $copy -OutputPath (Join-Path $TestDrive 'a.xml') } |
            Should -Throw '*Set-CtApiKey.md*PARAMETERS*-ApiSecret*'
    }

    It 'fails when a cmdlet has no file, or fewer than two examples' {
        $copy = Join-Path $TestDrive 'docs-missing'
        Copy-Item $Docs $copy -Recurse
        Remove-Item (Join-Path $copy 'Get-CtTicker.md')
        { & $Generator -DocsPath $copy -OutputPath (Join-Path $TestDrive 'b.xml') } | Should -Throw '*Get-CtTicker.md*'
        Copy-Item (Join-Path $Docs 'Get-CtTicker.md') $copy
        $file = Join-Path $copy 'Lock-CtKeyStore.md'
        (Get-Content $file -Raw) -replace '(?s)### Example 2.*?(?=## PARAMETERS)', '' | Set-Content $file
        { & $Generator -DocsPath $copy -OutputPath (Join-Path $TestDrive 'c.xml') } | Should -Throw '*Lock-CtKeyStore.md*EXAMPLES*'
    }
}
