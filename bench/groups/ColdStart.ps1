<#
.SYNOPSIS
    Cold start: what a new pwsh process that imports CryptoTrader and runs one command adds over a bare pwsh,
    against what the real Microsoft.PowerShell.SecretManagement + SecretStore add for one Get-Secret, all three
    timed alternately in the same run. Returns a section object for docs/performance.md.
.DESCRIPTION
    The anchor is measured when CT_BENCH_ANCHOR_MODULES names a folder with both real modules (built by
    bench/anchors/Build-SecretManagementAnchor.ps1; the stand-ins in tests/modules are refused). Each run that
    measures it records its figure in bench/anchors/secretmanagement-anchor.json; a run without the modules
    compares against that last figure and says so.
#>
param([string] $Configuration, [string] $ArtifactsPath)

$runs = 15
$targetShare = 1 / 3
$module = Get-BuiltModule
$pwsh = Get-ChildPwsh
$anchorFolder = $env:CT_BENCH_ANCHOR_MODULES
$anchorRecord = Join-Path $BenchRoot 'anchors/secretmanagement-anchor.json'
# The real modules' identity; the stand-ins in tests/modules share SecretManagement's GUID but are script modules.
$realModules = [ordered]@{
    'Microsoft.PowerShell.SecretManagement' = 'a5c858f6-4a8e-41f1-b1ee-0ff8f6ad69d3'
    'Microsoft.PowerShell.SecretStore'      = '6b983e67-c297-431a-916c-f4ce24dd7bac'
}

$bare = 'exit 0'
$ours = "Import-Module '$module'; `$null = Get-CtApiKey -WarningAction SilentlyContinue; exit 0"
$anchor = 'Import-Module Microsoft.PowerShell.SecretManagement; $null = Get-Secret -Name x -Vault v -AsPlainText; exit 0'

function Measure-Process {
    param([string] $Command)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $Command 2>&1
    $clock.Stop()
    if ($LASTEXITCODE -ne 0) { throw "pwsh -Command '$Command' failed with exit code ${LASTEXITCODE}: $output" }
    return $clock.Elapsed.TotalMilliseconds
}

# A SecretStore vault 'v' holding secret 'x', set up without prompts in the sandbox's HOME. A new store asks for a
# password even on the way to -Authentication None, so a throwaway one is passed. Returns the modules it loaded.
function Initialize-AnchorVault {
    $checks = foreach ($name in $realModules.Keys) {
        "`$m = Get-Module $name; if (-not `$m -or `$m.Guid -ne '$($realModules[$name])' -or `$m.ModuleType -ne 'Binary' -or -not `$m.Path.StartsWith('$anchorFolder')) { throw `"Not the real $name from $anchorFolder`: `$(`$m.Path)`" }"
    }
    $setup = @"
`$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.SecretStore
`$password = ConvertTo-SecureString ([Guid]::NewGuid().ToString()) -AsPlainText -Force
Set-SecretStoreConfiguration -Scope CurrentUser -Authentication None -Interaction None -Password `$password -Confirm:`$false
Register-SecretVault -Name v -ModuleName Microsoft.PowerShell.SecretStore
Set-Secret -Name x -Secret 'cold-start-anchor' -Vault v
if ((Get-Secret -Name x -Vault v -AsPlainText) -ne 'cold-start-anchor') { throw 'The anchor vault did not return its secret.' }
$($checks -join "`n")
(Get-Module $($realModules.Keys -join ', ') | ForEach-Object { "`$(`$_.Name) `$(`$_.Version)" }) -join ', '
"@
    $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $setup 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Setting up the SecretStore anchor vault failed (exit code $LASTEXITCODE): $output" }
    return ($output | Select-Object -Last 1)
}

# Time added over a bare pwsh: the median of the differences between the runs of one round (alternation pairs
# each run with the bare run next to it, so a change of load between rounds cancels out).
function Get-AddedMs {
    param([double[]] $Runs, [double[]] $BareRuns)
    Get-Median @(for ($i = 0; $i -lt $Runs.Count; $i++) { $Runs[$i] - $BareRuns[$i] })
}

$saved = @{}
foreach ($name in 'HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'PSModulePath', 'CRYPTOTRADER_HOME', 'CRYPTOTRADER_MASTER_KEY') {
    $saved[$name] = [Environment]::GetEnvironmentVariable($name)
}
$sandbox = Join-Path ([IO.Path]::GetTempPath()) ('ct-bench-coldstart-' + [Guid]::NewGuid().ToString('N'))
$measured = [ordered]@{ bare = [Collections.Generic.List[double]]::new(); ours = [Collections.Generic.List[double]]::new(); anchor = [Collections.Generic.List[double]]::new() }
$loadAtStart = Get-LoadAverage
try {
    # Every child runs in a sandbox HOME (SecretManagement's vault registry and SecretStore's files live under
    # $HOME/.secretmanagement on Linux), so the user's real configuration is never read or touched.
    New-Item -ItemType Directory -Path $sandbox | Out-Null
    $env:HOME = Join-Path $sandbox 'home'
    $env:XDG_CONFIG_HOME = Join-Path $env:HOME '.config'
    $env:XDG_DATA_HOME = Join-Path $env:HOME '.local/share'
    $env:XDG_CACHE_HOME = Join-Path $env:HOME '.cache'
    New-Item -ItemType Directory -Path $env:HOME | Out-Null
    # A data folder with one stored key, so Get-CtApiKey opens the database and reads a real row.
    $env:CRYPTOTRADER_HOME = Join-Path $sandbox 'data'
    $env:CRYPTOTRADER_MASTER_KEY = New-BenchMasterKey
    $null = Measure-Process "Import-Module '$module'; `$null = Set-CtApiKey -Exchange paper -ApiKey cold-start -ApiSecret (ConvertTo-SecureString cold-start-secret -AsPlainText -Force) -Confirm:`$false -WarningAction SilentlyContinue"

    $anchorModules = $null
    if ($anchorFolder) {
        if (-not (Test-Path (Join-Path $anchorFolder 'Microsoft.PowerShell.SecretManagement'))) {
            throw "CT_BENCH_ANCHOR_MODULES ('$anchorFolder') holds no Microsoft.PowerShell.SecretManagement module folder."
        }
        $anchorFolder = (Resolve-Path $anchorFolder).Path
        $env:PSModulePath = $anchorFolder + [IO.Path]::PathSeparator + $env:PSModulePath
        $anchorModules = Initialize-AnchorVault
    }

    $commands = [ordered]@{ bare = $bare; ours = $ours }
    if ($anchorModules) { $commands['anchor'] = $anchor }
    foreach ($command in $commands.Values) { $null = Measure-Process $command }   # warm-up: files in the page cache
    for ($i = 0; $i -lt $runs; $i++) {
        foreach ($name in $commands.Keys) { $measured[$name].Add((Measure-Process $commands[$name])) }
    }
}
finally {
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    Remove-Item $sandbox -Recurse -Force -ErrorAction Ignore
}
$loadAtEnd = Get-LoadAverage

$oursAdded = Get-AddedMs $measured.ours $measured.bare
if ($anchorModules) {
    $anchorFigure = [ordered]@{
        date         = [DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm', $Invariant) + ' UTC'
        modules      = $anchorModules
        powershell   = $PSVersionTable.PSVersion.ToString()
        command      = "pwsh -NoProfile -NonInteractive -Command `"$anchor`""
        how          = "added time over a bare pwsh (``exit 0``), the median of $runs paired runs alternated with the bare one and CryptoTrader's, after one warm-up, SecretStore vault with -Authentication None in a sandbox HOME; bench/groups/ColdStart.ps1"
        runs         = $runs
        added_ms     = [Math]::Round((Get-AddedMs $measured.anchor $measured.bare), 1)
        median_ms    = [Math]::Round((Get-Median $measured.anchor), 1)
        bare_ms      = [Math]::Round((Get-Median $measured.bare), 1)
        load_average = "$loadAtStart → $loadAtEnd"
    }
    [IO.File]::WriteAllText($anchorRecord, ($anchorFigure | ConvertTo-Json) + "`n", [Text.UTF8Encoding]::new($false))
    $anchorSource = 'measured in this run'
}
elseif (Test-Path $anchorRecord) {
    $anchorFigure = Get-Content $anchorRecord -Raw | ConvertFrom-Json
    $anchorSource = "NOT measured in this run (CT_BENCH_ANCHOR_MODULES is not set): the last figure, measured $($anchorFigure.date) with $($anchorFigure.modules) at load average $($anchorFigure.load_average), $($anchorFigure.how)"
}
else {
    throw 'The cold-start anchor was never measured: set CT_BENCH_ANCHOR_MODULES (see bench/anchors/Build-SecretManagementAnchor.ps1).'
}

$share = $oursAdded / $anchorFigure.added_ms
function Format-Ms([double] $ms) { $ms.ToString('0', $Invariant) + ' ms' }

[pscustomobject]@{
    Title       = 'Cold start'
    Description = @(
        'What users feel: a scheduled runbook or a one-line `pwsh -c` starts a new process each time. Each side is a new process started'
        'the same way (the .NET local tool''s pwsh) and timed from start to exit:'
        "- CryptoTrader: ``pwsh -NoProfile -NonInteractive -Command `"$($ours.Replace($module, 'out/CryptoTrader/CryptoTrader.psd1'))`"``, on a data folder with one stored key (environment key store);"
        "- anchor: ``pwsh -NoProfile -NonInteractive -Command `"$anchor`"``, the real Microsoft.PowerShell.SecretManagement and"
        '  Microsoft.PowerShell.SecretStore (built from their sources by `bench/anchors/Build-SecretManagementAnchor.ps1` into the folder that'
        '  `CT_BENCH_ANCHOR_MODULES` names; the stand-ins in tests/modules are refused) reading one secret from a SecretStore vault set up'
        '  without prompts (`Set-SecretStoreConfiguration -Authentication None -Interaction None`, `Register-SecretVault`, `Set-Secret` once);'
        '- baseline: `pwsh -NoProfile -NonInteractive -Command "exit 0"`.'
        'All run in a sandbox HOME (and XDG folders) under the temp folder, so no real vault registry or store is read or changed.'
        "After one warm-up of each (files in the page cache: a warm disk, a cold process), $runs rounds of one run each, alternated."
        '"Added" is the median over the rounds of (run − the bare run of the same round): what the import and the one command cost a script.'
        "Target: CryptoTrader adds at most a third of what the anchor adds. Ratio = CryptoTrader added ÷ anchor added. Anchor: $anchorSource."
        "Load average: $loadAtStart at the start of the group, $loadAtEnd at its end."
    ) -join "`n"
    Environment = @("PowerShell $($PSVersionTable.PSVersion)") + @(if ($anchorModules) { "Anchor: $anchorModules (built from source)" })
    Rows        = @([pscustomobject][ordered]@{
            'Benchmark'            = 'pwsh + Import-Module + Get-CtApiKey'
            'CryptoTrader'         = Format-Ms (Get-Median $measured.ours)
            'Baseline (bare pwsh)' = Format-Ms (Get-Median $measured.bare)
            'CryptoTrader added'   = Format-Ms $oursAdded
            'Anchor added'         = (Format-Ms $anchorFigure.added_ms) + $(if ($anchorModules) { '' } else { " (last figure, $($anchorFigure.date))" })
            'Ratio'                = $share.ToString('0.00', $Invariant)
            'Target'               = '≤ 0.33 (a third)'
            'Met'                  = if ($share -le $targetShare) { 'yes' } else { 'no' }
        })
}
