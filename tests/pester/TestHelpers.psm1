# Shared helpers for the Pester suites. They run against the built module ($env:CT_MODULE_PATH).

function Get-CtModulePath {
    if (-not $env:CT_MODULE_PATH) { throw 'CT_MODULE_PATH is not set: run the suites through build.ps1 Test.' }
    return $env:CT_MODULE_PATH
}

# A new, empty data folder under TestDrive (or temp) and CRYPTOTRADER_HOME pointing at it.
function New-CtTestHome {
    param([string] $Name = [guid]::NewGuid().ToString('N'))
    $root = if (Test-Path 'TestDrive:\') { (Get-PSDrive TestDrive).Root } else { [IO.Path]::GetTempPath() }
    $path = Join-Path $root $Name
    $env:CRYPTOTRADER_HOME = $path
    return $path
}

# A fresh Fernet key (URL-safe base64 of 32 random bytes), as CRYPTOTRADER_MASTER_KEY holds it.
function New-CtTestFernetKey {
    return [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).Replace('+', '-').Replace('/', '_')
}

function ConvertTo-TestSecureString {
    param([Parameter(Mandatory)] [string] $Text)
    return ConvertTo-SecureString -String $Text -AsPlainText -Force
}

# Runs a script in a fresh pwsh (same PowerShell as this one) and returns its exit code and all output.
function Invoke-CtChildPwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{}
    )
    $process = [Environment]::ProcessPath
    $arguments = @()
    if ([IO.Path]::GetFileNameWithoutExtension($process) -ne 'pwsh') { $arguments += (Join-Path $PSHOME 'pwsh.dll') }
    $file = Join-Path ([IO.Path]::GetTempPath()) ("ct-child-" + [guid]::NewGuid().ToString('N') + '.ps1')
    Set-Content -Path $file -Value ("`$PSStyle.OutputRendering = 'PlainText'`n" + $Script)
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        $output = & $process @arguments -NoProfile -NonInteractive -File $file 2>&1 | ForEach-Object { "$_" }
        return [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Remove-Item $file -ErrorAction Ignore
    }
}

Export-ModuleMember -Function Get-CtModulePath, New-CtTestHome, New-CtTestFernetKey, ConvertTo-TestSecureString, Invoke-CtChildPwsh
