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

# Why a real Secret Service cannot be started here, or $null when it can (Linux with dbus-daemon, gnome-keyring-daemon, secret-tool).
# With CT_REQUIRE_KEYRING=1 (.ci/run) a missing tool is an error, not a skip.
function Get-CtTestKeyringUnavailableReason {
    $why = Get-CtTestKeyringProblem
    if ($why -and $env:CT_REQUIRE_KEYRING -eq '1' -and $IsLinux) { throw "CT_REQUIRE_KEYRING=1 but the keyring tests cannot run: $why" }
    return $why
}

function Get-CtTestKeyringProblem {
    if (-not $IsLinux) { return 'Linux only: the Secret Service (macOS and Windows keyrings have their own xunit tests).' }
    foreach ($tool in 'dbus-daemon', 'gnome-keyring-daemon', 'secret-tool') {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction Ignore)) {
            return "$tool is not installed (Debian packages dbus, gnome-keyring, libsecret-tools; .ci/run installs them)."
        }
    }
    return $null
}

# Starts a private session bus with an unlocked gnome-keyring (tests/keyring/start-test-keyring.sh) and points
# DBUS_SESSION_BUS_ADDRESS at it. Returns an object for Stop-CtTestKeyring. -NoKeyring: a bus without a Secret Service.
function Start-CtTestKeyring {
    param([switch] $NoKeyring)
    $folder = Join-Path ([IO.Path]::GetTempPath()) ('ct-keyring-' + [guid]::NewGuid().ToString('N').Substring(0, 12))
    $script = Join-Path $PSScriptRoot '../keyring/start-test-keyring.sh'
    $arguments = @($script, $folder)
    if ($NoKeyring) { $arguments += '--no-keyring' }
    $lines = @(& sh @arguments)
    if ($LASTEXITCODE -ne 0 -or $lines.Count -lt 2) { throw "start-test-keyring.sh failed: $lines" }
    $keyring = [pscustomobject]@{ Address = $lines[0].Trim(); Pid = [int] $lines[1].Trim(); Folder = $folder; SavedAddress = $env:DBUS_SESSION_BUS_ADDRESS }
    $env:DBUS_SESSION_BUS_ADDRESS = $keyring.Address
    return $keyring
}

function Stop-CtTestKeyring {
    param([Parameter(Mandatory)] $Keyring)
    $env:DBUS_SESSION_BUS_ADDRESS = $Keyring.SavedAddress
    Stop-Process -Id $Keyring.Pid -ErrorAction Ignore
    Remove-Item $Keyring.Folder -Recurse -Force -ErrorAction Ignore
}

# secret-tool on the test bus: returns the exit code and output.
function Invoke-CtSecretTool {
    param([Parameter(Mandatory)] $Keyring, [Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $saved = $env:DBUS_SESSION_BUS_ADDRESS
    $env:DBUS_SESSION_BUS_ADDRESS = $Keyring.Address
    try {
        $output = '' | & secret-tool @Arguments 2>&1 | ForEach-Object { "$_" }
        return [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    }
    finally { $env:DBUS_SESSION_BUS_ADDRESS = $saved }
}

Export-ModuleMember -Function Get-CtModulePath, New-CtTestHome, New-CtTestFernetKey, ConvertTo-TestSecureString, Invoke-CtChildPwsh,
    Get-CtTestKeyringUnavailableReason, Start-CtTestKeyring, Stop-CtTestKeyring, Invoke-CtSecretTool
