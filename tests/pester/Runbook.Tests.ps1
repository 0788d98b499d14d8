# How a runbook fails (about_CryptoTrader_Runbooks, README "Runbooks"), and the README tour run as written, twice in a
# row (issue 19). Every script runs in its own `pwsh -File` process, as a scheduler would start it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Saved = Save-CtTestSession
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:Readme = Get-Content (Join-Path $Root 'README.md')

    # The ```powershell block of the README whose first line is "# <Name>".
    function Get-ReadmeScript([string] $Name) {
        for ($i = 0; $i -lt $Readme.Count; $i++) {
            if ($Readme[$i] -eq '```powershell' -and $Readme[$i + 1] -eq "# $Name") {
                $end = [array]::IndexOf($Readme, '```', $i + 1)
                return ($Readme[($i + 1)..($end - 1)] -join "`n")
            }
        }
        throw "README.md has no powershell block starting with '# $Name'"
    }

    # Runs a runbook with `pwsh -File` on a data folder with a read-only paper credential (a trade is refused).
    function Invoke-Runbook([string] $Script, [hashtable] $Environment = @{}) {
        $modules = Split-Path (Get-CtModulePath)
        $variables = @{
            CRYPTOTRADER_HOME       = $DataHome
            CRYPTOTRADER_MASTER_KEY = $env:CRYPTOTRADER_MASTER_KEY
            PSModulePath            = $modules + [IO.Path]::PathSeparator + $env:PSModulePath
        }
        foreach ($name in $Environment.Keys) { $variables[$name] = $Environment[$name] }
        Invoke-CtChildPwsh -Script $Script -Environment $variables
    }
}

AfterAll { Restore-CtTestSession $script:Saved }

Describe 'A runbook started with pwsh -File' {
    BeforeAll {
        $script:DataHome = New-CtTestHome
        $env:CRYPTOTRADER_MASTER_KEY = New-CtTestFernetKey
        Set-CtApiKey paper 'runbook-key' (ConvertTo-TestSecureString 'runbook-secret') -WarningAction SilentlyContinue | Out-Null
        Reset-CtPaperAccount -Balance @{ USD = 10000 } -WarningAction SilentlyContinue -Confirm:$false | Out-Null
        Set-CtPaperPrice BTC-USD 65000 -Confirm:$false | Out-Null
    }

    It 'without $ErrorActionPreference = ''Stop'' prints the refusal, goes on, and exits 0' {
        $result = Invoke-Runbook (Get-ReadmeScript 'runbook-continue.ps1')
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Match 'Trading is not enabled for paper/default'
        $result.Output | Should -Match 'The trade step is over; this line runs either way\.'
    }

    It 'with $ErrorActionPreference = ''Stop'' ends at the refusal with exit code 1' {
        $result = Invoke-Runbook (Get-ReadmeScript 'runbook-stop.ps1')
        $result.ExitCode | Should -Be 1
        $result.Output | Should -Match 'Trading is not enabled for paper/default'
        $result.Output | Should -Not -Match 'Not reached when the trade is refused'
    }

    It 'with try/catch on the ErrorId exits with the code the script chooses' {
        $result = Invoke-Runbook (Get-ReadmeScript 'runbook-catch.ps1')
        $result.ExitCode | Should -Be 3
        $result.Output | Should -Match 'refused: TradingNotEnabled'
    }

    It 'without Stop goes on even after a terminating error (a locked key store), and exits 0' {
        $result = Invoke-Runbook (Get-ReadmeScript 'runbook-continue.ps1') @{ CRYPTOTRADER_MASTER_KEY = $null; CRYPTOTRADER_HOME = (New-CtTestHome) }
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Match 'KeyStoreLocked|is locked'
        $result.Output | Should -Match 'The trade step is over; this line runs either way\.'
    }

    It 'with Stop ends at a terminating error with exit code 1' {
        $result = Invoke-Runbook (Get-ReadmeScript 'runbook-stop.ps1') @{ CRYPTOTRADER_MASTER_KEY = $null; CRYPTOTRADER_HOME = (New-CtTestHome) }
        $result.ExitCode | Should -Be 1
        $result.Output | Should -Not -Match 'Not reached when the trade is refused'
    }
}

Describe 'The README tour' {
    BeforeAll {
        # The commands typed in the tour (the PS> lines from "Five-minute tour" to "Use it"), with the hidden Read-Host
        # answers given as SecureStrings.
        $start = [array]::IndexOf($Readme, '## Five-minute tour')
        $end = [array]::IndexOf($Readme, '## Use it')
        $script:TourLines = @($Readme[$start..$end] | Where-Object { $_.StartsWith('PS> ') } | ForEach-Object { $_.Substring(4) })
        $script:Homes = @()
    }
    AfterAll { $script:Homes | Where-Object { $_ } | ForEach-Object { Remove-Item $_ -Recurse -Force -ErrorAction Ignore } }

    It 'has the steps it describes' {
        $TourLines.Count | Should -BeGreaterThan 10
        $TourLines[0] | Should -Match 'CRYPTOTRADER_HOME'
        ($TourLines | Where-Object { $_ -match 'Read-Host -AsSecureString' }).Count | Should -Be 2
    }

    It 'runs as written, in a new session each time (run <_>)' -ForEach 1, 2 {
        $answers = @("tour passphrase number $_", "paper api secret $_")
        $answered = @{ Count = 0 }
        $typed = foreach ($line in $TourLines) {
            [regex]::Replace($line, "Read-Host -AsSecureString '[^']*'", { "(ConvertTo-SecureString '$($answers[$answered.Count++])' -AsPlainText -Force)" })
        }
        $script = @(
            "Set-Location '$Root'"
            $typed
            "'TOUR-HOME=' + `$env:CRYPTOTRADER_HOME"
            "'TOUR-ERRORS=' + ((`$Error | ForEach-Object { `$_.FullyQualifiedErrorId.Split(',')[0] }) -join ' ')"
        ) -join "`n"
        $result = Invoke-CtChildPwsh -Script $script -Environment @{ CRYPTOTRADER_HOME = $null; CRYPTOTRADER_MASTER_KEY = $null }
        $tourHome = [regex]::Match($result.Output, 'TOUR-HOME=(.+)').Groups[1].Value.Trim()
        $script:Homes += $tourHome
        $result.ExitCode | Should -Be 0
        $tourHome | Should -Not -BeNullOrEmpty
        if ($Homes.Count -gt 1) { $tourHome | Should -Not -Be $Homes[-2] -Because 'each run has a data folder of its own' }
        [regex]::Match($result.Output, 'TOUR-ERRORS=(.*)').Groups[1].Value.Trim() | Should -Be 'TradingNotEnabled' -Because $result.Output
        $result.Output | Should -Match 'IsValid\s+: True'
        $result.Output | Should -Match 'RecordCount\s+: 7'
        $result.Output | Should -Match 'TRADE_EXECUTED'
    }
}
