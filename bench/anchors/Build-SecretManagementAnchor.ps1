<#
.SYNOPSIS
    Builds the real Microsoft.PowerShell.SecretManagement and Microsoft.PowerShell.SecretStore modules from their
    sources into one folder, the anchor of the cold-start benchmark (bench/groups/ColdStart.ps1).
.DESCRIPTION
    Neither module is on NuGet (they ship from the PowerShell Gallery), so the benchmark builds them from source with
    the .NET SDK and their own pinned NuGet packages, laid out as Install-PSResource would
    (<Destination>/<ModuleName>/<Version>/...), then point CT_BENCH_ANCHOR_MODULES at <Destination>.

    Differences from their own build scripts (which need InvokeBuild and an Azure DevOps feed):
    - restore from the machine's NuGet configuration instead of their nuget.config, and run the SDK from a folder
      outside their global.json (it pins an 8.0 SDK);
    - SecretStore compiles against the SecretManagement assembly built here instead of the
      Microsoft.PowerShell.SecretManagement.Library package (the same assembly, packed for extension authors), which
      NuGet does not serve here, and references Microsoft.CSharp explicitly (its `dynamic` code does not compile here
      without it).
    The sources and what is built from them stay outside this repository: nothing here is committed.
.PARAMETER SecretManagementSource
    A folder with the sources of PowerShell/SecretManagement (for example `git archive` of a clone).
.PARAMETER SecretStoreSource
    A folder with the sources of PowerShell/SecretStore. Its csproj is patched in place (see above).
.PARAMETER Destination
    Where the two module folders go; the value for CT_BENCH_ANCHOR_MODULES.
.EXAMPLE
    git -C SecretManagement archive HEAD | tar -x -C /work/anchors/src/SecretManagement   # likewise SecretStore
    dotnet pwsh bench/anchors/Build-SecretManagementAnchor.ps1 -SecretManagementSource /work/anchors/src/SecretManagement `
        -SecretStoreSource /work/anchors/src/SecretStore -Destination /work/anchors/modules
    $env:CT_BENCH_ANCHOR_MODULES = '/work/anchors/modules'; dotnet pwsh ./build.ps1 Bench
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $SecretManagementSource,
    [Parameter(Mandatory)] [string] $SecretStoreSource,
    [Parameter(Mandatory)] [string] $Destination
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Invoke-Native {
    $command, $arguments = $args
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "'$command $($arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

# The machine's own NuGet configuration (nuget.org), not the sources' nuget.config with its private feed.
function Get-UserNuGetConfig {
    $path = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/NuGet/NuGet.Config'
    if (-not (Test-Path $path)) { throw "No user NuGet configuration at '$path' (run any 'dotnet restore' once to create it)." }
    return $path
}

function Publish-Project {
    param([string] $Project)
    # From a folder without a global.json, so the installed SDK builds it.
    Push-Location ([IO.Path]::GetTempPath())
    try {
        Invoke-Native dotnet publish $Project -c Release --configfile (Get-UserNuGetConfig) --nologo --verbosity quiet
    }
    finally {
        Pop-Location
    }
}

function Get-SourceModuleVersion {
    param([string] $Source)
    [xml] $props = Get-Content (Join-Path $Source 'Directory.Build.props') -Raw
    return $props.Project.PropertyGroup.ModuleVersion | Where-Object { $_ } | Select-Object -First 1
}

# Lays out one module as their build scripts do: the listed build outputs, the manifest with its version filled in.
function Install-BuiltModule {
    param([string] $Source, [string] $Name, [string[]] $Outputs, [string[]] $Extras)
    $version = Get-SourceModuleVersion $Source
    $target = Join-Path $Destination "$Name/$version"
    if (Test-Path $target) { Remove-Item $target -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $target | Out-Null
    foreach ($file in $Outputs) { Copy-Item -LiteralPath (Join-Path $Source "artifacts/publish/$Name/release/$file") -Destination $target }
    foreach ($item in $Extras) { Copy-Item -LiteralPath (Join-Path $Source $item) -Destination $target -Recurse }
    $manifest = (Get-Content (Join-Path $Source "src/$Name.psd1") -Raw) -replace '\{\{ModuleVersion\}\}', $version
    Set-Content -LiteralPath (Join-Path $target "$Name.psd1") -Value $manifest -Encoding utf8
    Write-Host "Built $Name $version in $target"
    return Join-Path $Source "artifacts/publish/$Name/release/$Name.dll"
}

$SecretManagementSource = (Resolve-Path $SecretManagementSource).Path
$SecretStoreSource = (Resolve-Path $SecretStoreSource).Path
New-Item -ItemType Directory -Force -Path $Destination | Out-Null
$Destination = (Resolve-Path $Destination).Path

Publish-Project (Join-Path $SecretManagementSource 'src/code/Microsoft.PowerShell.SecretManagement.csproj')
$secretManagementDll = Install-BuiltModule -Source $SecretManagementSource -Name 'Microsoft.PowerShell.SecretManagement' `
    -Outputs 'Microsoft.PowerShell.SecretManagement.dll', 'System.Runtime.InteropServices.RuntimeInformation.dll' `
    -Extras 'src/Microsoft.PowerShell.SecretManagement.format.ps1xml', 'LICENSE'

$storeProject = Join-Path $SecretStoreSource 'src/code/Microsoft.PowerShell.SecretStore.csproj'
$csproj = Get-Content $storeProject -Raw
$library = '<PackageReference Include="Microsoft.PowerShell.SecretManagement.Library" />'
if ($csproj.Contains($library)) {
    $reference = "<Reference Include=`"Microsoft.PowerShell.SecretManagement`"><HintPath>$secretManagementDll</HintPath><Private>false</Private></Reference>" +
        '<Reference Include="Microsoft.CSharp" />'
    Set-Content -LiteralPath $storeProject -Value $csproj.Replace($library, $reference) -NoNewline
}
Publish-Project $storeProject
$null = Install-BuiltModule -Source $SecretStoreSource -Name 'Microsoft.PowerShell.SecretStore' `
    -Outputs 'Microsoft.PowerShell.SecretStore.dll', 'System.IO.FileSystem.AccessControl.dll', 'System.Runtime.InteropServices.RuntimeInformation.dll' `
    -Extras 'src/Microsoft.PowerShell.SecretStore.Extension', 'LICENSE'
