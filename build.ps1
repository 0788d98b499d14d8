<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks the CryptoTrader module.
.DESCRIPTION
    Build  assembles a ready-to-import module in out/CryptoTrader, with help built from docs/cmdlets.
    Test   builds, runs the xunit suites (on .NET, and the Core tests on net472 under Mono) and the Pester suites,
           and prints "N passed, N failed".
    Package builds and publishes the module to a temporary local PSResourceGet repository: out/CryptoTrader.<version>.nupkg.
    Demo   builds and runs a short, real scenario on a temporary data folder.
    Bench  builds and runs the benchmarks under bench/, rewriting docs/performance.md.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'CryptoTrader'
$TestResults = Join-Path $Out 'test-results'
# The runtime the xunit suites run on here (the library under test targets net8.0); net472 runs separately.
$TestFramework = 'net10.0'
$NativeRuntimes = @{
    'net8.0' = @('linux-x64', 'linux-arm64', 'osx-x64', 'osx-arm64', 'win-x64', 'win-arm64')
    'net472' = @('win-x64', 'win-arm64', 'win-x86')
}

# Runs a program with the remaining arguments and stops the build when it fails.
function Invoke-Native {
    $command, $arguments = $args
    & $command @arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$command $($arguments -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

# Starts a child PowerShell of the same version as this one (the .NET local tool), from any folder.
function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'pwsh') { return @($process) }
    return @($process, (Join-Path $PSHOME 'pwsh.dll'))
}

function Get-ModuleVersion {
    [xml] $props = Get-Content (Join-Path $Root 'Directory.Build.props') -Raw
    return $props.Project.PropertyGroup.ModuleVersion | Where-Object { $_ } | Select-Object -First 1
}

function Get-NativeSqlitePackage {
    $project = Join-Path $Root 'src/CryptoTrader.Core/CryptoTrader.Core.csproj'
    $path = (& dotnet msbuild $project -nologo -getProperty:PkgSQLitePCLRaw_lib_e_sqlite3 -p:TargetFramework=net8.0).Trim()
    if (-not $path -or -not (Test-Path (Join-Path $path 'runtimes'))) {
        throw "SQLitePCLRaw.lib.e_sqlite3 was not found in the NuGet cache ('$path'); run a restore first."
    }
    return $path
}

function Copy-NativeSqlite {
    param([string] $PackagePath, [string[]] $RuntimeIds, [string] $Destination)
    foreach ($rid in $RuntimeIds) {
        $source = Join-Path $PackagePath "runtimes/$rid/native"
        $target = Join-Path $Destination "runtimes/$rid/native"
        New-Item -ItemType Directory -Force -Path $target | Out-Null
        Copy-Item -Path (Join-Path $source '*') -Destination $target -Force
    }
}

function Invoke-BuildTask {
    $publish = Join-Path $Out 'publish'
    if (Test-Path $publish) { Remove-Item $publish -Recurse -Force }
    $engine = Join-Path $Root 'src/CryptoTrader.Core/CryptoTrader.Core.csproj'
    foreach ($framework in 'net8.0', 'net472') {
        Invoke-Native dotnet publish $engine -c $Configuration -f $framework -o (Join-Path $publish $framework) --nologo --verbosity quiet
    }
    foreach ($name in 'CryptoTrader.Loader', 'CryptoTrader.PowerShell') {
        Invoke-Native dotnet publish (Join-Path $Root "src/$name/$name.csproj") -c $Configuration -o (Join-Path $publish 'netstandard2.0') --nologo --verbosity quiet
    }
    $native = Get-NativeSqlitePackage

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null
    Copy-Item -Path (Join-Path $Root 'module/CryptoTrader/*') -Destination $ModuleOut -Recurse

    # Both editions: the loader and the cmdlet assembly (netstandard2.0) in bin; the loader, imported first, makes
    # the engine resolve from bin/<framework>, where it sits with its dependencies and SQLite's native library.
    $bin = Join-Path $ModuleOut 'bin'
    New-Item -ItemType Directory -Force -Path $bin | Out-Null
    foreach ($name in 'CryptoTrader.Loader', 'CryptoTrader.PowerShell') {
        Copy-Item (Join-Path $publish "netstandard2.0/$name.dll") $bin
    }
    foreach ($framework in $NativeRuntimes.Keys) {
        $engineFolder = Join-Path $bin $framework
        New-Item -ItemType Directory -Force -Path $engineFolder | Out-Null
        Copy-Item (Join-Path $publish "$framework/*.dll") $engineFolder
        Copy-NativeSqlite -PackagePath $native -RuntimeIds $NativeRuntimes[$framework] -Destination $engineFolder
    }

    $version = Get-ModuleVersion
    # The module and the keyring extension vault it ships carry the one version.
    foreach ($manifest in (Join-Path $ModuleOut 'CryptoTrader.psd1'), (Join-Path $ModuleOut 'CryptoTrader.Keyring/CryptoTrader.Keyring.psd1'),
        (Join-Path $ModuleOut 'CryptoTrader.Keyring/CryptoTrader.Keyring.Extension/CryptoTrader.Keyring.Extension.psd1')) {
        (Get-Content $manifest -Raw) -replace "ModuleVersion(\s*)=\s*'0\.0\.0'", "ModuleVersion`$1= '$version'" |
            Set-Content $manifest -NoNewline
    }
    Set-ReleaseNotes -Manifest (Join-Path $ModuleOut 'CryptoTrader.psd1') -Version $version
    Add-CmdletHelp
    Write-Host "Built module $version in $ModuleOut"
}

# The section '## <version>' of CHANGELOG.md, written into the built manifest's PrivateData.PSData.ReleaseNotes.
function Set-ReleaseNotes {
    param([string] $Manifest, [string] $Version)
    $changelog = Get-Content (Join-Path $Root 'CHANGELOG.md') -Raw
    $section = [regex]::Match($changelog, "(?ms)^## $([regex]::Escape($Version))[ \t]*\r?\n(.*?)(?=^## |\z)")
    if (-not $section.Success -or -not $section.Groups[1].Value.Trim()) {
        throw "CHANGELOG.md has no section '## $Version' (the version in Directory.Build.props): describe the release there."
    }
    $notes = $section.Groups[1].Value.Trim().Replace("'", "''")
    $text = Get-Content $Manifest -Raw
    if ($text -notmatch "ReleaseNotes(\s*)=\s*''") { throw "$Manifest has no empty ReleaseNotes for the build to fill in." }
    # A script block as the replacement, so that '$' in the notes is never read as a group reference.
    $text = [regex]::Replace($text, "ReleaseNotes(\s*)=\s*''", { param($m) "ReleaseNotes$($m.Groups[1].Value)= '$notes'" })
    Set-Content $Manifest -Value $text -NoNewline
}

# Builds the MAML help from docs/cmdlets (in a child pwsh: it imports the built module) into the module's
# en-US folder, beside about_CryptoTrader, where Get-Help looks for the help of the manifest's binary root module.
function Add-CmdletHelp {
    $target = Join-Path $ModuleOut 'en-US'
    New-Item -ItemType Directory -Force -Path $target | Out-Null
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $Root 'build/New-MamlHelp.ps1') `
        -DocsPath (Join-Path $Root 'docs/cmdlets') -OutputPath (Join-Path $target 'CryptoTrader.PowerShell.dll-Help.xml') -ModulePath $ModuleOut
    if ($LASTEXITCODE -ne 0) { throw 'Building the cmdlet help failed (see the message above).' }
}

# Restores a PackageDownload project under build/ and returns the package's folder in the NuGet cache.
function Get-DownloadedPackage {
    param([string] $ProjectName, [string] $VersionProperty, [string] $PackageId)
    $project = Join-Path $Root "build/$ProjectName"
    Invoke-Native dotnet restore $project --nologo --verbosity quiet
    $cache = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    [xml] $proj = Get-Content $project -Raw
    $version = $proj.Project.PropertyGroup.$VersionProperty | Where-Object { $_ } | Select-Object -First 1
    $path = Join-Path $cache "$($PackageId.ToLowerInvariant())/$version"
    if (-not (Test-Path $path)) { throw "$PackageId $version was not restored to '$path'." }
    return $path
}

function Get-PesterModulePath {
    return Join-Path (Get-DownloadedPackage 'Pester.proj' 'PesterVersion' 'Pester') 'tools/Pester.psd1'
}

function Read-TrxCounts {
    param([string] $Path)
    [xml] $trx = Get-Content $Path -Raw
    $counters = $trx.TestRun.ResultSummary.Counters
    return [pscustomobject]@{
        Passed  = [int] $counters.passed
        Failed  = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        Skipped = [int] $counters.total - [int] $counters.executed
    }
}

function Invoke-XunitTests {
    $projects = Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter *.Tests.csproj
    $totals = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($project in $projects) {
        $trxName = "$($project.BaseName).trx"
        & dotnet test $project.FullName -c $Configuration -f $TestFramework --nologo --logger "trx;LogFileName=$trxName" --results-directory $TestResults | Out-Host
        $trx = Join-Path $TestResults $trxName
        if (-not (Test-Path $trx)) {
            Write-Warning "$($project.BaseName) produced no results (build or host failure)."
            $totals.Failed++
            continue
        }
        $counts = Read-TrxCounts $trx
        $totals.Passed += $counts.Passed
        $totals.Failed += $counts.Failed
        $totals.Skipped += $counts.Skipped
    }
    return $totals
}

function Read-XunitXmlCounts {
    param([string] $Path)
    [xml] $xml = Get-Content $Path -Raw
    $totals = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    # Attributes by name: an <assembly> also has an <errors> element, which the XML adapter would return with them.
    foreach ($assembly in $xml.SelectNodes('/assemblies/assembly')) {
        $totals.Passed += [int] $assembly.GetAttribute('passed')
        $totals.Failed += [int] $assembly.GetAttribute('failed') + [int] $assembly.GetAttribute('errors')
        $totals.Skipped += [int] $assembly.GetAttribute('skipped')
    }
    return $totals
}

# The Core tests again, against the net472 build of CryptoTrader.Core (what Windows PowerShell 5.1 loads): under
# Mono off Windows, through the xunit console runner. What this target leaves out or skips: docs/building.md.
function Invoke-NetFrameworkXunitTests {
    $failed = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    $mono = Get-Command mono -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $IsWindows -and -not $mono) {
        Write-Warning 'Mono is not installed, so the net472 tests did not run (Debian: apt-get install mono-devel; .ci/run installs it).'
        return $failed
    }
    $project = Join-Path $Root 'tests/CryptoTrader.Core.Tests/CryptoTrader.Core.Tests.csproj'
    & dotnet build $project -c $Configuration -f net472 --nologo --verbosity quiet | Out-Host
    if ($LASTEXITCODE -ne 0) {
        Write-Warning 'The net472 build of the Core tests failed.'
        return $failed
    }
    $bin = Join-Path $Root "tests/CryptoTrader.Core.Tests/bin/$Configuration/net472"
    $runner = Join-Path (Get-DownloadedPackage 'XunitConsole.proj' 'XunitConsoleVersion' 'xunit.runner.console') 'tools/net472/xunit.console.exe'
    $results = Join-Path $TestResults 'CryptoTrader.Core.Tests.net472.xml'
    $arguments = @((Join-Path $bin 'CryptoTrader.Core.Tests.dll'), '-xml', $results, '-noshadow', '-nologo')
    $savedLibraryPath = $env:LD_LIBRARY_PATH
    try {
        if ($IsWindows) {
            & $runner @arguments | Out-Host
        }
        else {
            # SQLitePCLRaw's .NET Framework build finds the native e_sqlite3 through the loader's search path here.
            $arch = if ([Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'arm64' } else { 'x64' }
            $env:LD_LIBRARY_PATH = Join-Path $bin "runtimes/linux-$arch/native"
            & $mono.Source $runner @arguments | Out-Host
        }
    }
    finally {
        $env:LD_LIBRARY_PATH = $savedLibraryPath
    }
    if (-not (Test-Path $results)) {
        Write-Warning 'The net472 tests produced no results (runner or host failure).'
        return $failed
    }
    return Read-XunitXmlCounts $results
}

function Invoke-PesterTests {
    $pester = Get-PesterModulePath
    $resultFile = Join-Path $TestResults 'pester-counts.json'
    Remove-Item $resultFile -ErrorAction Ignore
    $pwsh = Get-PwshCommand
    $runner = Join-Path $Root 'build/Invoke-PesterSuite.ps1'
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $runner `
        -PesterPath $pester -ModulePath $ModuleOut -TestPath (Join-Path $Root 'tests/pester') -ResultFile $resultFile | Out-Host
    if (-not (Test-Path $resultFile)) {
        Write-Warning 'The Pester run ended without results.'
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    $counts = Get-Content $resultFile -Raw | ConvertFrom-Json
    if ($counts.Passed -isnot [long] -and $counts.Passed -isnot [int]) {
        Write-Warning 'The Pester run wrote no usable counts.'
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    return $counts
}

function Invoke-TestTask {
    Invoke-BuildTask
    if (Test-Path $TestResults) { Remove-Item $TestResults -Recurse -Force }
    New-Item -ItemType Directory -Path $TestResults | Out-Null
    $xunit = Invoke-XunitTests
    $netFramework = Invoke-NetFrameworkXunitTests
    $pester = Invoke-PesterTests
    $passed = $xunit.Passed + $netFramework.Passed + $pester.Passed
    $failed = $xunit.Failed + $netFramework.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $netFramework.Skipped + $pester.Skipped
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped"
    $netFrameworkHost = if ($IsWindows) { '.NET Framework' } else { 'Mono' }
    Write-Host "xunit net472 ($netFrameworkHost): $($netFramework.Passed) passed, $($netFramework.Failed) failed, $($netFramework.Skipped) skipped"
    Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    Write-Output "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-DemoTask {
    Invoke-BuildTask
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $Root 'build/Demo.ps1') -ModulePath $ModuleOut
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

# Publishes the built module with PSResourceGet to a temporary local repository (never the user's own ones; no
# network) and keeps the package as out/CryptoTrader.<version>.nupkg, installable with Install-PSResource.
function Invoke-PackageTask {
    Invoke-BuildTask
    $manifest = Test-ModuleManifest -Path (Join-Path $ModuleOut 'CryptoTrader.psd1') -ErrorAction Stop
    $package = Join-Path $Out "CryptoTrader.$($manifest.Version).nupkg"
    Remove-Item $package -ErrorAction Ignore
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
    $repositoryName = 'CryptoTrader-build-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $repository = Join-Path ([IO.Path]::GetTempPath()) $repositoryName
    New-Item -ItemType Directory -Path $repository | Out-Null
    try {
        Register-PSResourceRepository -Name $repositoryName -Uri $repository -Trusted
        Publish-PSResource -Path $ModuleOut -Repository $repositoryName
        Copy-Item (Join-Path $repository "CryptoTrader.$($manifest.Version).nupkg") $package
    }
    finally {
        Unregister-PSResourceRepository -Name $repositoryName -ErrorAction Ignore
        Remove-Item $repository -Recurse -Force -ErrorAction Ignore
    }
    Write-Host "Packaged CryptoTrader $($manifest.Version) as $package"
}

function Invoke-BenchTask {
    Invoke-BuildTask
    & (Join-Path $Root 'bench/Invoke-Benchmarks.ps1') -Configuration $Configuration
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

switch ($Task) {
    'Build' { Invoke-BuildTask }
    'Test' { Invoke-TestTask }
    'Package' { Invoke-PackageTask }
    'Demo' { Invoke-DemoTask }
    'Bench' { Invoke-BenchTask }
    'Clean' { if (Test-Path $Out) { Remove-Item $Out -Recurse -Force } }
}
